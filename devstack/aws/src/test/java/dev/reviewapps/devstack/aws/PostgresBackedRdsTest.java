package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.devstack.postgres.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;

/** RDS instances backed by real databases on a throwaway PostgreSQL cluster. */
class PostgresBackedRdsTest {
  private static final Duration BOUND = Duration.ofSeconds(30);
  private static ThrowawayPostgres postgres;
  private static AwsStandIn aws;
  private static RdsClient rds;

  @BeforeAll
  static void start() throws Exception {
    postgres = ThrowawayPostgres.start();
    aws = AwsStandIn.start(AwsConfig.forTests().withPostgres(postgres.adminJdbcUrl()));
    rds = SdkClients.of(aws).withoutRetries().rds();
  }

  @AfterAll
  static void stop() {
    if (rds != null) {
      rds.close();
    }
    if (aws != null) {
      aws.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }

  private static DBInstance awaitAvailable(String id) {
    await()
        .atMost(BOUND)
        .until(
            () ->
                rds.describeDBInstances(b -> b.dbInstanceIdentifier(id))
                    .dbInstances()
                    .get(0)
                    .dbInstanceStatus()
                    .equals("available"));
    return rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
  }

  private static Connection connect(DBInstance instance, String user, String password)
      throws SQLException {
    return DriverManager.getConnection(
        "jdbc:postgresql://"
            + instance.endpoint().address()
            + ":"
            + instance.endpoint().port()
            + "/"
            + instance.dbName(),
        user,
        password);
  }

  private static boolean databaseExists(String name) throws SQLException {
    try (Connection admin = DriverManager.getConnection(postgres.adminJdbcUrl());
        Statement s = admin.createStatement();
        ResultSet rs = s.executeQuery("SELECT 1 FROM pg_database WHERE datname = '" + name + "'")) {
      return rs.next();
    }
  }

  @Test
  void instanceIsARealDatabaseThatFollowsPasswordChangesSnapshotsAndDeletion() throws Exception {
    rds.createDBInstance(
        b ->
            b.dbInstanceIdentifier("shop-db")
                .engine("postgres")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .masterUsername("shop_owner")
                .masterUserPassword("first-secret"));
    DBInstance instance = awaitAvailable("shop-db");
    assertThat(instance.endpoint().address()).isEqualTo("127.0.0.1");
    assertThat(instance.endpoint().port()).isEqualTo(postgres.port());
    assertThat(instance.dbName()).isEqualTo("shop_db");

    try (Connection c = connect(instance, "shop_owner", "first-secret");
        Statement s = c.createStatement()) {
      s.execute("CREATE TABLE products (name text)");
      s.execute("INSERT INTO products VALUES ('kettle'), ('teapot')");
    }
    assertThatThrownBy(() -> connect(instance, "shop_owner", "wrong-secret").close())
        .isInstanceOf(SQLException.class);

    rds.modifyDBInstance(
        b -> b.dbInstanceIdentifier("shop-db").masterUserPassword("second-secret"));
    awaitAvailable("shop-db");
    connect(instance, "shop_owner", "second-secret").close();
    assertThatThrownBy(() -> connect(instance, "shop_owner", "first-secret").close())
        .isInstanceOf(SQLException.class);

    rds.createDBSnapshot(b -> b.dbInstanceIdentifier("shop-db").dbSnapshotIdentifier("shop-seed"));
    await()
        .atMost(BOUND)
        .until(
            () ->
                rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier("shop-seed"))
                    .dbSnapshots()
                    .get(0)
                    .status()
                    .equals("available"));
    rds.restoreDBInstanceFromDBSnapshot(
        b -> b.dbInstanceIdentifier("shop-copy").dbSnapshotIdentifier("shop-seed"));
    DBInstance copy = awaitAvailable("shop-copy");

    try (Connection c = connect(copy, "shop_owner", "second-secret");
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT count(*) FROM products")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(2);
    }

    rds.deleteDBInstance(b -> b.dbInstanceIdentifier("shop-db").skipFinalSnapshot(true));
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThatThrownBy(
                        () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("shop-db")))
                    .isInstanceOf(DbInstanceNotFoundException.class));
    await().atMost(BOUND).until(() -> !databaseExists("shop_db"));
    assertThat(databaseExists("shop_copy")).isTrue();
  }

  @Test
  void oneInstancesRoleCannotOpenAnotherInstancesDatabase() throws Exception {
    for (String id : new String[] {"app-one", "app-two"}) {
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier(id)
                  .engine("postgres")
                  .dbInstanceClass("db.t3.micro")
                  .masterUsername(id.replace('-', '_') + "_owner")
                  .masterUserPassword("secret-" + id));
    }
    DBInstance one = awaitAvailable("app-one");
    awaitAvailable("app-two");

    connect(one, "app_one_owner", "secret-app-one").close();
    assertThatThrownBy(() -> connect(one, "app_two_owner", "secret-app-two").close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
  }
}
