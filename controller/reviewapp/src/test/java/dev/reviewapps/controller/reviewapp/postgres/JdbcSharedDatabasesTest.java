package dev.reviewapps.controller.reviewapp.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.devstack.postgres.ThrowawayPostgres;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shared-mode databases on a real PostgreSQL 15. */
class JdbcSharedDatabasesTest {

  private static ThrowawayPostgres server;
  private static JdbcSharedDatabases databases;

  @BeforeAll
  static void startServer() throws Exception {
    server = ThrowawayPostgres.start();
    databases =
        new JdbcSharedDatabases(
            server.jdbcUrl("postgres"), ThrowawayPostgres.ADMIN, server.adminPassword());
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE shop_seed");
    }
    try (Connection seed = server.admin("shop_seed");
        Statement s = seed.createStatement()) {
      s.execute("CREATE TABLE items (id serial PRIMARY KEY, name text NOT NULL UNIQUE)");
      s.execute("INSERT INTO items (name) VALUES ('Espresso'), ('Croissant')");
      s.execute("CREATE VIEW item_names AS SELECT name FROM items");
    }
  }

  @AfterAll
  static void stopServer() {
    server.close();
  }

  private Connection asApp(SharedDatabase db, String password) throws SQLException {
    return DriverManager.getConnection(server.jdbcUrl(db.database()), db.role(), password);
  }

  @Test
  void theAppsRoleLogsInWithTheGeneratedPasswordAndOwnsItsDatabase() throws SQLException {
    SharedDatabase db = SharedDatabase.forApp("deploy-new-checkout", Optional.empty());
    databases.ensure(db, "generated-pw-1".toCharArray());

    assertThat(databases.exists(db)).isTrue();
    try (Connection app = asApp(db, "generated-pw-1");
        Statement s = app.createStatement()) {
      s.execute("CREATE TABLE orders (id int)");
      try (ResultSet rs =
          s.executeQuery(
              "SELECT pg_get_userbyid(datdba), shobj_description(oid, 'pg_database')"
                  + " FROM pg_database WHERE datname = current_database()")) {
        rs.next();
        assertThat(rs.getString(1)).isEqualTo("ra_deploy_new_checkout");
        assertThat(rs.getString(2)).isEqualTo("review-app=deploy-new-checkout");
      }
    }
    assertThatThrownBy(() -> asApp(db, "wrong").close()).isInstanceOf(SQLException.class);
  }

  @Test
  void ensuringTwiceIsHarmlessAndTakesTheCurrentPassword() throws SQLException {
    SharedDatabase db = SharedDatabase.forApp("deploy-twice", Optional.empty());
    databases.ensure(db, "first-pw".toCharArray());
    // A crash between storing a new password and setting it: the next run sets the stored one.
    databases.ensure(db, "second-pw".toCharArray());
    try (Connection app = asApp(db, "second-pw")) {
      assertThat(app.isValid(5)).isTrue();
    }
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT count(*) FROM pg_database WHERE datname = 'ra_deploy_twice'")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
    }
  }

  @Test
  void aTemplateGivesTheAppItsSeededRowsAndTheRoleMayMigrateThem() throws SQLException {
    SharedDatabase db = SharedDatabase.forApp("deploy-seeded", Optional.of("shop_seed"));
    databases.ensure(db, "seeded-pw".toCharArray());
    try (Connection app = asApp(db, "seeded-pw");
        Statement s = app.createStatement()) {
      try (ResultSet rs = s.executeQuery("SELECT count(*) FROM items")) {
        rs.next();
        assertThat(rs.getInt(1)).isEqualTo(2);
      }
      // The copied table and its sequence now belong to the app's role: a migration can alter it.
      s.execute("ALTER TABLE items ADD COLUMN price_cents integer NOT NULL DEFAULT 0");
      s.execute("INSERT INTO items (name) VALUES ('Flat white')");
      s.execute("CREATE OR REPLACE VIEW item_names AS SELECT name, price_cents FROM items");
    }
  }

  @Test
  void aMissingTemplateIsReportedAsSuch() {
    SharedDatabase db = SharedDatabase.forApp("deploy-no-template", Optional.of("no_such_seed"));
    assertThatThrownBy(() -> databases.ensure(db, "pw".toCharArray()))
        .isInstanceOf(SharedDatabases.TemplateMissingException.class)
        .hasMessageContaining("no_such_seed");
  }

  @Test
  void otherAppsRolesCannotConnectToTheDatabase() throws SQLException {
    SharedDatabase mine = SharedDatabase.forApp("deploy-mine", Optional.empty());
    SharedDatabase theirs = SharedDatabase.forApp("deploy-theirs", Optional.empty());
    databases.ensure(mine, "mine-pw".toCharArray());
    databases.ensure(theirs, "theirs-pw".toCharArray());
    assertThatThrownBy(
            () ->
                DriverManager.getConnection(
                        server.jdbcUrl(mine.database()), theirs.role(), "theirs-pw")
                    .close())
        .isInstanceOf(SQLException.class)
        .hasMessageContaining("permission denied");
  }

  @Test
  void hostileNamesAreQuotedNotExecuted() throws SQLException {
    // Names come from the app name (a DNS label), but the quoting must hold even if one did not.
    SharedDatabase hostile =
        new SharedDatabase(
            "x", "evil\"; DROP DATABASE shop_seed; --", "evil\" SUPERUSER --", Optional.empty());
    databases.ensure(hostile, "pw'; DROP ROLE postgres; --".toCharArray());
    assertThat(databases.exists(hostile)).isTrue();
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname = 'shop_seed'),"
                    + " (SELECT rolsuper FROM pg_roles WHERE rolname = 'evil\" SUPERUSER --')")) {
      rs.next();
      assertThat(rs.getInt(1)).isEqualTo(1);
      assertThat(rs.getBoolean(2)).isFalse();
    }
    databases.drop(hostile);
    assertThat(databases.exists(hostile)).isFalse();
  }

  @Test
  void droppingRemovesDatabaseAndRoleEvenWithTheAppConnected() throws SQLException {
    SharedDatabase db = SharedDatabase.forApp("deploy-gone", Optional.empty());
    databases.ensure(db, "gone-pw".toCharArray());
    try (Connection stillOpen = asApp(db, "gone-pw")) {
      databases.drop(db);
    } catch (SQLException expected) {
      // The forced drop closed the connection under us.
    }
    assertThat(databases.exists(db)).isFalse();
    databases.drop(db);
  }

  @Test
  void theLongestAppNamesGetTheirOwnDatabaseAndRoleUncut() {
    // 60 characters: "ra_" + 60 is PostgreSQL's 63-byte limit, so nothing is cut.
    SharedDatabase one =
        SharedDatabase.forApp("deploy-" + "a".repeat(49) + "-one", Optional.empty());
    SharedDatabase two =
        SharedDatabase.forApp("deploy-" + "a".repeat(49) + "-two", Optional.empty());
    assertThat(one.database()).hasSize(63).isNotEqualTo(two.database());
    databases.ensure(one, "Pw0rdPw0rdPw0rd1".toCharArray());
    databases.ensure(two, "Pw0rdPw0rdPw0rd2".toCharArray());
    assertThat(databases.exists(one)).isTrue();
    assertThat(databases.exists(two)).isTrue();
    databases.drop(one);
    assertThat(databases.exists(one)).isFalse();
    assertThat(databases.exists(two)).as("the other app's database").isTrue();
    databases.drop(two);
    assertThat(SharedDatabase.identifierFor("deploy-x")).isEqualTo("ra_deploy_x");
  }

  @Test
  void aDatabaseOrRoleWithoutTheAppsMarkIsNeverAdoptedAlteredOrDropped() throws SQLException {
    // Someone else's database and role, under the names two apps would use.
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement()) {
      s.execute("CREATE DATABASE ra_deploy_foreign_db");
      s.execute("CREATE ROLE ra_deploy_foreign_role LOGIN PASSWORD 'theirs'");
    }
    try (Connection theirs = server.admin("ra_deploy_foreign_db");
        Statement s = theirs.createStatement()) {
      s.execute("CREATE TABLE ledger (amount int)");
      s.execute("INSERT INTO ledger VALUES (42)");
    }
    SharedDatabase onTheirDatabase = SharedDatabase.forApp("deploy-foreign-db", Optional.empty());
    SharedDatabase onTheirRole = SharedDatabase.forApp("deploy-foreign-role", Optional.empty());

    for (SharedDatabase db : List.of(onTheirDatabase, onTheirRole)) {
      assertThatThrownBy(() -> databases.ensure(db, "Pw0rdPw0rdPw0rd1".toCharArray()))
          .as(db.appName())
          .isInstanceOf(OwnershipConflict.class)
          .hasMessageContaining("without review-apps' mark");
      assertThatThrownBy(() -> databases.drop(db))
          .as(db.appName())
          .isInstanceOf(OwnershipConflict.class);
    }

    try (Connection theirs = server.admin("ra_deploy_foreign_db");
        Statement s = theirs.createStatement();
        ResultSet rs = s.executeQuery("SELECT amount FROM ledger")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getInt(1)).isEqualTo(42);
    }
    // Their password still works: the role was not altered.
    try (Connection asThem =
        DriverManager.getConnection(
            server.jdbcUrl("postgres"), "ra_deploy_foreign_role", "theirs")) {
      assertThat(asThem.isValid(2)).isTrue();
    }
    assertThat(databases.tagged()).doesNotContainKey("ra_deploy_foreign_db");
  }

  @Test
  void anAppsOwnRoleAndDatabaseAreMarkedAndEnsuredAgainAfterARoleOfAnEarlierVersion()
      throws SQLException {
    SharedDatabase db = SharedDatabase.forApp("deploy-marked", Optional.empty());
    databases.ensure(db, "Pw0rdPw0rdPw0rd1".toCharArray());
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement()) {
      // As an earlier version left it: the role without a comment.
      s.execute("COMMENT ON ROLE ra_deploy_marked IS NULL");
    }
    databases.ensure(db, "Pw0rdPw0rdPw0rd2".toCharArray());
    try (Connection admin = server.admin("postgres");
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT shobj_description(oid, 'pg_authid') FROM pg_roles"
                    + " WHERE rolname = 'ra_deploy_marked'")) {
      assertThat(rs.next()).isTrue();
      assertThat(rs.getString(1)).isEqualTo("review-app=deploy-marked");
    }
    databases.drop(db);
    assertThat(databases.exists(db)).isFalse();
  }
}
