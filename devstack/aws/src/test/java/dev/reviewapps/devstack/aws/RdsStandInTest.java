package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.devstack.aws.rds.RdsTiming;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.CreateDbInstanceRequest;
import software.amazon.awssdk.services.rds.model.DBInstance;
import software.amazon.awssdk.services.rds.model.DBSnapshot;
import software.amazon.awssdk.services.rds.model.DbInstanceAlreadyExistsException;
import software.amazon.awssdk.services.rds.model.DbInstanceNotFoundException;
import software.amazon.awssdk.services.rds.model.DbSnapshotNotFoundException;
import software.amazon.awssdk.services.rds.model.Filter;
import software.amazon.awssdk.services.rds.model.InvalidDbInstanceStateException;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.rds.model.Tag;

class RdsStandInTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static AwsStandIn aws;
  private static RdsClient rds;

  @BeforeAll
  static void start() throws Exception {
    aws = AwsStandIn.start(AwsConfig.forTests());
    rds = SdkClients.of(aws).withoutRetries().rds();
  }

  @AfterAll
  static void stop() {
    rds.close();
    aws.close();
  }

  private static DBInstance create(String id) {
    return rds.createDBInstance(
            CreateDbInstanceRequest.builder()
                .dbInstanceIdentifier(id)
                .dbInstanceClass("db.t3.micro")
                .engine("postgres")
                .allocatedStorage(20)
                .masterUsername("app_" + id.replace('-', '_'))
                .masterUserPassword("secret-123")
                .dbName("shop")
                .tags(Tag.builder().key("review-app").value(id).build())
                .build())
        .dbInstance();
  }

  private static DBInstance describe(String id) {
    return rds.describeDBInstances(b -> b.dbInstanceIdentifier(id)).dbInstances().get(0);
  }

  private static void awaitStatus(String id, String status) {
    await().atMost(BOUND).until(() -> describe(id).dbInstanceStatus().equals(status));
  }

  @Test
  void instanceGoesFromCreatingThroughBackingUpToAvailableWithAnEndpoint() {
    DBInstance created = create("orders");
    assertThat(created.dbInstanceStatus()).isEqualTo("creating");
    assertThat(created.endpoint()).isNull();
    assertThat(created.dbInstanceArn()).isEqualTo("arn:aws:rds:us-east-1:000000000000:db:orders");

    awaitStatus("orders", "available");
    DBInstance ready = describe("orders");
    assertThat(ready.endpoint().address()).isEqualTo("orders.devstack.us-east-1.rds.amazonaws.com");
    assertThat(ready.endpoint().port()).isEqualTo(5432);
    assertThat(ready.masterUsername()).isEqualTo("app_orders");
    assertThat(ready.dbName()).isEqualTo("shop");
    assertThat(ready.tagList())
        .containsExactly(Tag.builder().key("review-app").value("orders").build());
    assertThat(ready.instanceCreateTime()).isNotNull();
    assertThat(describe(ready.dbInstanceArn()).dbInstanceIdentifier()).isEqualTo("orders");
  }

  @Test
  void deletedInstanceIsDeletingThenGone() {
    create("gone-soon");
    awaitStatus("gone-soon", "available");

    DBInstance deleting =
        rds.deleteDBInstance(b -> b.dbInstanceIdentifier("gone-soon").skipFinalSnapshot(true))
            .dbInstance();

    assertThat(deleting.dbInstanceStatus()).isEqualTo("deleting");
    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> describe("gone-soon"))
                    .isInstanceOf(DbInstanceNotFoundException.class)
                    .hasMessageContaining("DBInstance gone-soon not found")
                    .satisfies(e -> assertThat(((RdsException) e).statusCode()).isEqualTo(404)));
  }

  @Test
  void callsTheStateDoesNotAllowFailAsAwsFailsThem() throws Exception {
    // Slow transitions, so that the instance is surely still creating when the calls arrive.
    Duration minute = Duration.ofMinutes(1);
    AwsConfig slow =
        AwsConfig.forTests().withRdsTiming(new RdsTiming(minute, minute, minute, minute, minute));
    try (AwsStandIn slowAws = AwsStandIn.start(slow);
        RdsClient slowRds = SdkClients.of(slowAws).withoutRetries().rds()) {
      slowRds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("busy")
                  .dbInstanceClass("db.t3.micro")
                  .engine("postgres")
                  .masterUsername("app")
                  .masterUserPassword("secret-123"));
      assertThatThrownBy(
              () ->
                  slowRds.modifyDBInstance(
                      b -> b.dbInstanceIdentifier("busy").masterUserPassword("other-pass-1")))
          .isInstanceOf(InvalidDbInstanceStateException.class)
          .hasMessageContaining("not in available state");
      assertThatThrownBy(
              () ->
                  slowRds.createDBSnapshot(
                      b -> b.dbInstanceIdentifier("busy").dbSnapshotIdentifier("busy-snap")))
          .isInstanceOf(InvalidDbInstanceStateException.class);
      assertThatThrownBy(
              () ->
                  slowRds.deleteDBInstance(
                      b -> b.dbInstanceIdentifier("busy").finalDBSnapshotIdentifier("busy-last")))
          .isInstanceOf(InvalidDbInstanceStateException.class)
          .hasMessageContaining("currently creating - a final snapshot cannot be taken");

      slowRds.deleteDBInstance(b -> b.dbInstanceIdentifier("busy").skipFinalSnapshot(true));
      assertThatThrownBy(
              () ->
                  slowRds.deleteDBInstance(
                      b -> b.dbInstanceIdentifier("busy").skipFinalSnapshot(true)))
          .isInstanceOf(InvalidDbInstanceStateException.class)
          .hasMessageContaining("already being deleted");
    }
    create("twice");
    assertThatThrownBy(() -> create("twice"))
        .isInstanceOf(DbInstanceAlreadyExistsException.class)
        .satisfies(e -> assertThat(((RdsException) e).statusCode()).isEqualTo(400));
  }

  @Test
  void invalidRequestsAreRejectedWithAwsCodes() {
    assertThatThrownBy(() -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("ghost")))
        .isInstanceOf(DbInstanceNotFoundException.class);
    assertThatThrownBy(() -> create("Bad--name"))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
    create("needs-snapshot-choice");
    assertThatThrownBy(
            () -> rds.deleteDBInstance(b -> b.dbInstanceIdentifier("needs-snapshot-choice")))
        .isInstanceOfSatisfying(
            RdsException.class,
            e ->
                assertThat(e.awsErrorDetails().errorCode())
                    .isEqualTo("InvalidParameterCombination"));
    assertThatThrownBy(
            () ->
                rds.describeDBInstances(
                    b -> b.filters(Filter.builder().name("tag:review-app").values("x").build())))
        .isInstanceOfSatisfying(
            RdsException.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("InvalidParameterValue"));
  }

  @Test
  void masterPasswordChangeResetsCredentialsThenReturnsToAvailable() {
    create("rotated");
    awaitStatus("rotated", "available");

    DBInstance modifying =
        rds.modifyDBInstance(
                b ->
                    b.dbInstanceIdentifier("rotated")
                        .masterUserPassword("new-secret-9")
                        .applyImmediately(true))
            .dbInstance();

    assertThat(modifying.dbInstanceStatus()).isEqualTo("resetting-master-credentials");
    assertThat(modifying.pendingModifiedValues().masterUserPassword()).isEqualTo("****");
    awaitStatus("rotated", "available");
    assertThat(describe("rotated").pendingModifiedValues().masterUserPassword()).isNull();
  }

  @Test
  void describeFiltersByIdentifierAndPagesWithMarkers() {
    for (String id : List.of("page-a", "page-b", "page-c")) {
      create(id);
    }
    assertThat(
            rds.describeDBInstances(
                    b ->
                        b.filters(Filter.builder().name("db-instance-id").values("page-b").build()))
                .dbInstances())
        .extracting(DBInstance::dbInstanceIdentifier)
        .containsExactly("page-b");

    List<String> all =
        rds.describeDBInstancesPaginator(b -> b.maxRecords(20)).dbInstances().stream()
            .map(DBInstance::dbInstanceIdentifier)
            .toList();
    assertThat(all).contains("page-a", "page-b", "page-c").doesNotHaveDuplicates();
  }

  @Test
  void tagsAreAddedListedAndRemoved() {
    String arn = create("tagged").dbInstanceArn();

    rds.addTagsToResource(
        b -> b.resourceName(arn).tags(Tag.builder().key("team").value("payments").build()));
    assertThat(rds.listTagsForResource(b -> b.resourceName(arn)).tagList())
        .extracting(Tag::key)
        .containsExactly("review-app", "team");

    rds.removeTagsFromResource(b -> b.resourceName(arn).tagKeys("review-app"));
    assertThat(rds.listTagsForResource(b -> b.resourceName(arn)).tagList())
        .containsExactly(Tag.builder().key("team").value("payments").build());
    assertThatThrownBy(
            () ->
                rds.listTagsForResource(
                    b -> b.resourceName("arn:aws:rds:us-east-1:000000000000:db:nope")))
        .isInstanceOf(DbInstanceNotFoundException.class);
  }

  @Test
  void snapshotIsTakenAndRestoredIntoANewInstance() {
    create("seed");
    awaitStatus("seed", "available");

    DBSnapshot snapshot =
        rds.createDBSnapshot(b -> b.dbInstanceIdentifier("seed").dbSnapshotIdentifier("seed-snap"))
            .dbSnapshot();
    assertThat(snapshot.status()).isEqualTo("creating");
    await()
        .atMost(BOUND)
        .until(
            () ->
                rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier("seed-snap"))
                    .dbSnapshots()
                    .get(0)
                    .status()
                    .equals("available"));

    DBInstance restored =
        rds.restoreDBInstanceFromDBSnapshot(
                b -> b.dbInstanceIdentifier("from-seed").dbSnapshotIdentifier("seed-snap"))
            .dbInstance();
    assertThat(restored.dbInstanceStatus()).isEqualTo("creating");
    assertThat(restored.masterUsername()).isEqualTo("app_seed");
    awaitStatus("from-seed", "available");
    assertThat(rds.describeDBSnapshots(b -> b.dbInstanceIdentifier("seed")).dbSnapshots())
        .extracting(DBSnapshot::dbSnapshotIdentifier)
        .containsExactly("seed-snap");
    assertThatThrownBy(() -> rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier("no-such-snap")))
        .isInstanceOf(DbSnapshotNotFoundException.class);
  }

  @Test
  void deletionWithFinalSnapshotLeavesTheSnapshotBehind() {
    create("final-words");
    awaitStatus("final-words", "available");

    rds.deleteDBInstance(
        b -> b.dbInstanceIdentifier("final-words").finalDBSnapshotIdentifier("final-words-last"));

    await()
        .atMost(BOUND)
        .untilAsserted(
            () ->
                assertThatThrownBy(() -> describe("final-words"))
                    .isInstanceOf(DbInstanceNotFoundException.class));
    assertThat(
            rds.describeDBSnapshots(b -> b.dbSnapshotIdentifier("final-words-last"))
                .dbSnapshots()
                .get(0)
                .status())
        .isEqualTo("available");
  }
}
