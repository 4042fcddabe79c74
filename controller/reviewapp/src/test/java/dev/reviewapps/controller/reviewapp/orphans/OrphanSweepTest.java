package dev.reviewapps.controller.reviewapp.orphans;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.aws.S3AppAssets;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.testing.TrueJob;
import dev.reviewapps.model.naming.HostTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.rds.model.Tag;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The orphan sweep against devstack Nomad, AWS (RDS, S3) and Consul and the real PostgreSQL: every
 * kind of resource made for three apps, one with neither spec nor inventory (the orphan), one with
 * only a spec, one with only an inventory, plus look-alikes that are not review apps' at all.
 */
class OrphanSweepTest {
  private static final HostTemplate HOSTS = new HostTemplate("{name}.review.test");
  private static final String BUCKET = "shop-assets";

  private static ReviewAppWorld world;
  private static S3Client s3;
  private static ReviewAppProviders providers;
  private static S3AppAssets assets;

  @BeforeAll
  @SuppressWarnings("deprecation") // the Apache 4 client, as everywhere in this module
  static void startWorld() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
    providers = world.providers();
    s3 =
        S3Client.builder()
            .endpointOverride(world.aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(
                StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "key")))
            .forcePathStyle(true)
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    s3.createBucket(r -> r.bucket(BUCKET));
    assets = new S3AppAssets(s3, BUCKET, "assets/");
    // Not review apps' resources, whatever the sweep finds.
    registerJob("billing-cron", Map.of("team", "billing"));
    world.rds.createDBInstance(
        r ->
            r.dbInstanceIdentifier("prod-db")
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .engine("postgres")
                .masterUsername("admin")
                .masterUserPassword("not-a-review-app"));
    world.kv.put(world.keys.routes() + "grafana.example.org", bytes("10.0.0.1:3000"));
  }

  @AfterAll
  static void stopWorld() throws Exception {
    s3.close();
    world.close();
  }

  @Test
  void aDryRunListsTheOrphansAndRemovesNothing() {
    resourcesOf("deploy-dry-orphan");
    MeterRegistry registry = new SimpleMeterRegistry();

    List<OrphanSource.Orphan> found = sweep(true, registry).sweep();

    assertThat(found)
        .filteredOn(o -> o.app().equals("deploy-dry-orphan"))
        .extracting(OrphanSource.Orphan::kind, OrphanSource.Orphan::id)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("rds-instance", "ra-deploy-dry-orphan"),
            org.assertj.core.groups.Tuple.tuple("nomad-job", "deploy-dry-orphan"),
            org.assertj.core.groups.Tuple.tuple("nomad-job", "deploy-dry-orphan.seed.0123456789"),
            org.assertj.core.groups.Tuple.tuple("database", "ra_deploy_dry_orphan"),
            org.assertj.core.groups.Tuple.tuple("route", "deploy-dry-orphan.review.test"),
            org.assertj.core.groups.Tuple.tuple("assets", "deploy-dry-orphan"));
    assertThat(registry.get("review_apps_orphans").tag("kind", "nomad-job").gauge().value())
        .isGreaterThanOrEqualTo(2);
    assertThat(resourcesLeft("deploy-dry-orphan")).isEqualTo(6);
    assertThat(registry.find("review_apps_orphans_removed_total").counters()).isEmpty();
  }

  @Test
  void aSweepRemovesOnlyOrphansAndLeavesAppsWithASpecOrAnInventory() throws Exception {
    resourcesOf("deploy-orphan");
    resourcesOf("deploy-spec-only");
    world.kv.put(world.layout.spec("deploy-spec-only"), bytes("{}"));
    resourcesOf("deploy-inventory-only");
    world.kv.put(world.layout.inventory("deploy-inventory-only"), bytes("{}"));
    MeterRegistry registry = new SimpleMeterRegistry();

    sweep(false, registry).sweep();

    assertThat(resourcesLeft("deploy-orphan")).isZero();
    assertThat(resourcesLeft("deploy-spec-only")).isEqualTo(6);
    assertThat(resourcesLeft("deploy-inventory-only")).isEqualTo(6);
    // Read with the raw client: the controller's own view refuses a job without its mark.
    assertThat(world.nomadClient.getJobsApi().info("billing-cron").getValue().getStop())
        .isNotEqualTo(Boolean.TRUE);
    assertThat(world.rds.describeDBInstances(r -> r.dbInstanceIdentifier("prod-db")).dbInstances())
        .extracting(i -> i.dbInstanceStatus())
        .containsExactly("available");
    assertThat(world.kv.get(world.keys.routes() + "grafana.example.org")).isPresent();
    assertThat(
            registry
                .get("review_apps_orphans_removed_total")
                .tag("kind", "database")
                .counter()
                .count())
        .isGreaterThanOrEqualTo(1);
  }

  private static OrphanSweep sweep(boolean dryRun, MeterRegistry registry) {
    return sweep(dryRun, registry, world.layout);
  }

  /** A sweep that reads specs and inventories (and keeps its guard's keys) under {@code layout}. */
  private static OrphanSweep sweep(boolean dryRun, MeterRegistry registry, KeyLayout layout) {
    ReviewAppProviders p = providers;
    List<ResourceKind> kinds =
        world.kinds(
            ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
            new ReviewAppSettings(
                HOSTS, "http", Duration.ofSeconds(1), Duration.ofSeconds(30), Optional.empty()),
            TeardownSettings.defaults(Duration.ofSeconds(1), Duration.ofSeconds(1)),
            registry,
            Clock.systemUTC(),
            new ReviewAppProviders(
                p.credentials(),
                p.sharedDatabases(),
                p.rds(),
                p.capacity(),
                p.nomad(),
                p.routes(),
                assets));
    return new OrphanSweep(
        world.kv,
        layout,
        kinds,
        dryRun,
        Duration.ofMinutes(10),
        registry,
        new DeletionGuard(world.kv, layout, GuardLimits.DEFAULTS, registry, Clock.systemUTC()));
  }

  @Test
  void anEmptySpecAndInventoryListingRemovesNothing() {
    resourcesOf("deploy-unreadable");
    // A token that lost read on specs/ and inventory/ reads them empty: here, an empty prefix.
    KeyLayout unreadable = new KeyLayout("unreadable-apps/");

    List<OrphanSource.Orphan> found = sweep(false, new SimpleMeterRegistry(), unreadable).sweep();

    assertThat(found).extracting(OrphanSource.Orphan::app).contains("deploy-unreadable");
    assertThat(resourcesLeft("deploy-unreadable")).isEqualTo(6);
    removeResourcesOf("deploy-unreadable");
  }

  @Test
  void theMassDeletionGuardHoldsASweepThatWouldRemoveMostApps() {
    resourcesOf("deploy-guarded-a");
    resourcesOf("deploy-guarded-b");
    resourcesOf("deploy-guarded-c");
    KeyLayout oneApp = new KeyLayout("one-app/");
    world.kv.put(oneApp.spec("deploy-the-only-one"), bytes("{}"));

    sweep(false, new SimpleMeterRegistry(), oneApp).sweep();

    for (String app : List.of("deploy-guarded-a", "deploy-guarded-b", "deploy-guarded-c")) {
      assertThat(resourcesLeft(app)).as(app).isEqualTo(6);
    }
    assertThat(world.kv.get(new ReviewAppKeys(oneApp).guardHeld()).orElseThrow().text())
        .contains("orphans")
        .contains("deploy-guarded-a");
    List.of("deploy-guarded-a", "deploy-guarded-b", "deploy-guarded-c")
        .forEach(OrphanSweepTest::removeResourcesOf);
  }

  /** Removes what {@link #resourcesOf} made, so later sweeps of this class do not see it. */
  private static void removeResourcesOf(String app) {
    providers.sharedDatabases().drop(SharedDatabase.forApp(app, Optional.empty()));
    providers.nomad().purge(app, app);
    providers.nomad().purge(app, app + ".seed.0123456789");
    providers.rds().delete("ra-" + app, Optional.empty());
    providers.routes().remove(HOSTS.host(new dev.reviewapps.model.naming.AppName(app)));
    assets.deleteAll(app);
    assertThat(resourcesLeft(app)).as(app).isZero();
  }

  /** One of each kind, named and tagged as the reconciler names and tags them. */
  private static void resourcesOf(String app) {
    providers
        .sharedDatabases()
        .ensure(SharedDatabase.forApp(app, Optional.empty()), "Pw0rdPw0rdPw0rd1".toCharArray());
    registerJob(app, Map.of("review-app", app));
    registerJob(app + ".seed.0123456789", Map.of("review-app", app));
    world.rds.createDBInstance(
        r ->
            r.dbInstanceIdentifier("ra-" + app)
                .dbInstanceClass("db.t3.micro")
                .allocatedStorage(20)
                .engine("postgres")
                .masterUsername("app")
                .masterUserPassword("Pw0rdPw0rdPw0rd1")
                .tags(Tag.builder().key("review-app").value(app).build()));
    providers
        .routes()
        .publish(HOSTS.host(new dev.reviewapps.model.naming.AppName(app)), "10.0.0.2:80");
    s3.putObject(
        r -> r.bucket(BUCKET).key("assets/" + app + "/app.js"), RequestBody.fromString("x"));
  }

  private static int resourcesLeft(String app) {
    int left = 0;
    left +=
        providers.sharedDatabases().exists(SharedDatabase.forApp(app, Optional.empty())) ? 1 : 0;
    left += providers.nomad().registered(app, app).isPresent() ? 1 : 0;
    left += providers.nomad().registered(app, app + ".seed.0123456789").isPresent() ? 1 : 0;
    left += providers.rds().tagged().containsKey("ra-" + app) ? 1 : 0;
    left += providers.routes().upstreams(app + ".review.test").isPresent() ? 1 : 0;
    left += assets.count(app) > 0 ? 1 : 0;
    return left;
  }

  private static void registerJob(String id, Map<String, String> meta) {
    providers.nomad().register(TrueJob.of(id, meta, "run"));
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }
}
