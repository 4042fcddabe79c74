package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.client.inventory.DatabaseCredentials;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.nomad.AppRelease;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.ResourceNames;
import io.micrometer.core.instrument.Timer;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;

/**
 * {@code make bench}: 200 review apps torn down at once by the real engine (8 workers) against
 * devstack Consul, Nomad and AWS and a real PostgreSQL. Prints the time until nothing of any of
 * them remains, and per app.
 *
 * <p>The apps are not reconciled to Ready first (that is {@link ReviewAppBenchmarkTest}'s 3 to 5
 * minutes): their resources are made directly, as the reconcile steps make them, with the real
 * clients: credentials in Consul, a database and role on the shared PostgreSQL, a Nomad service job
 * running one {@code python3 -m http.server} web process, a route key, 3 S3 asset objects, and the
 * inventory record listing them (with the spec as last applied). Their spec keys are absent when
 * the engine starts, as after {@code consul kv delete -recurse review-apps/specs/}: the engine's
 * start-up resync queues the 200 names at once.
 */
@Tag("bench")
class TeardownBench {

  private static final int APPS = 200;
  private static final int WORKERS = ReviewAppBenchmarkTest.WORKERS;

  @Test
  void twoHundredAppsAreTornDown() throws Exception {
    // Closed in finally rather than by try-with-resources, whose close() may throw
    // InterruptedException (a javac lint warning).
    ReviewAppWorld world = ReviewAppWorld.start(1_000_000, 1_000_000);
    try {
      ReviewAppProviders providers = world.providers();
      ReviewAppJobs jobs =
          new ReviewAppJobs(ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()));
      List<String> names = new ArrayList<>();
      for (int i = 0; i < APPS; i++) {
        names.add(String.format("deploy-gone-%03d", i));
      }
      long seeding = System.nanoTime();
      ExecutorService pool = Executors.newFixedThreadPool(WORKERS);
      List<Future<?>> seeded = new ArrayList<>();
      for (String name : names) {
        seeded.add(pool.submit(() -> seed(world, providers, jobs, name)));
      }
      for (Future<?> f : seeded) {
        f.get();
      }
      pool.shutdown();
      await()
          .atMost(Duration.ofMinutes(5))
          .pollInterval(Duration.ofSeconds(1))
          .until(
              () ->
                  world.nomad.taskPids().values().stream().filter(p -> !p.isEmpty()).count()
                      == APPS);
      Set<Long> pids = ConcurrentHashMap.newKeySet();
      world.nomad.taskPids().values().forEach(p -> pids.addAll(p.values()));
      System.out.printf(
          "BENCH teardown: %d apps seeded in %.1f s (%d processes)%n",
          APPS, (System.nanoTime() - seeding) / 1e9, pids.size());

      Map<String, Long> goneAt = new ConcurrentHashMap<>();
      // Where the time goes: every pass of a teardown runs (and reports) the stages from the route
      // on, so the first report of the route stage ends the first pass, and their count is the
      // number of passes it took.
      Map<String, Long> firstPassAt = new ConcurrentHashMap<>();
      Map<String, LongAdder> passes = new ConcurrentHashMap<>();
      TearingDownController controller =
          TearingDownController.build(
              world,
              providers,
              TeardownSettings.defaults(Duration.ofMillis(500), Duration.ofSeconds(1)),
              TeardownGate.OPEN,
              (app, stage) -> {
                long now = System.nanoTime();
                if (stage.equals("route")) {
                  firstPassAt.putIfAbsent(app, now);
                  passes.computeIfAbsent(app, a -> new LongAdder()).increment();
                }
                if (stage.equals(Teardown.INVENTORY)) {
                  goneAt.put(app, now);
                }
              },
              Duration.ofMillis(500));
      Engine engine = ReviewAppBenchmarkTest.engine(world, controller.reconciler());
      long started = System.nanoTime();
      engine.start();
      await()
          .atMost(Duration.ofMinutes(10))
          .pollInterval(Duration.ofMillis(250))
          .until(
              () ->
                  world.kv.keys(world.layout.inventories()).isEmpty()
                      && world.kv.keys(world.layout.statuses()).isEmpty());
      Duration allGone = Duration.ofNanos(System.nanoTime() - started);
      engine.stop(Duration.ofSeconds(5));

      // Nothing remains anywhere.
      assertThat(world.nomadClient.getJobsApi().list("deploy-gone-").getValue()).isEmpty();
      assertThat(pids)
          .noneMatch(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
      assertThat(world.kv.keys(world.keys.routes())).isEmpty();
      assertThat(world.kv.keys(world.layout.prefix() + "secrets/")).isEmpty();
      assertThat(databasesLeft(world)).isZero();
      assertThat(world.s3.listObjectsV2(r -> r.bucket(ReviewAppWorld.ASSETS_BUCKET)).keyCount())
          .isZero();

      Timer duration = controller.registry().get("review_apps_teardown_duration").timer();
      double meanGone =
          goneAt.values().stream().mapToLong(t -> t - started).average().orElse(0) / 1e9;
      double maxGone = goneAt.values().stream().mapToLong(t -> t - started).max().orElse(0) / 1e9;
      System.out.printf(
          "BENCH teardown: %d apps deleted at once, nothing left after %.1f s; per app: gone after"
              + " mean %.1f s, max %.1f s from the start; teardown itself (begin to end) mean %.2f"
              + " s, max %.2f s; %d workers%n",
          APPS,
          allGone.toMillis() / 1000.0,
          meanGone,
          maxGone,
          duration.mean(TimeUnit.SECONDS),
          duration.max(TimeUnit.SECONDS),
          WORKERS);
      System.out.printf(
          "BENCH teardown: per app, first pass done after mean %.1f s (200 queued behind %d"
              + " workers), %.1f passes, first pass to gone mean %.1f s%n",
          firstPassAt.values().stream().mapToLong(t -> t - started).average().orElse(0) / 1e9,
          WORKERS,
          passes.values().stream().mapToLong(LongAdder::sum).average().orElse(0),
          goneAt.entrySet().stream()
                  .mapToLong(e -> e.getValue() - firstPassAt.get(e.getKey()))
                  .average()
                  .orElse(0)
              / 1e9);
      assertThat(duration.count()).isEqualTo(APPS);
    } finally {
      world.close();
    }
  }

  /** What the reconcile steps would have made for one app, made directly with the real clients. */
  private static void seed(
      ReviewAppWorld world, ReviewAppProviders providers, ReviewAppJobs jobs, String name) {
    String specJson = ReviewAppBenchmarkTest.tinyApp(name);
    ReviewApp app =
        ReviewAppJson.parse(specJson.getBytes(StandardCharsets.UTF_8)).toOptional().orElseThrow();
    SharedDatabase db = SharedDatabase.forApp(name, Optional.empty());
    String host = TearingDownController.HOSTS.host(new AppName(name));
    String jobId = ResourceNames.of(name).serviceJob();
    Inventory inventory =
        Inventory.empty(name)
            .with(new Resource.Credentials(providers.credentials().locationOf(name)))
            .with(new Resource.SharedDatabase(db.database(), db.role()))
            .with(new Resource.NomadJob(jobId))
            .with(new Resource.Route(host))
            .withDatabase(world.sharedEndpoint(), db.database())
            .withAllocations(jobs.allocations(app.spec()))
            .withAppliedSpec(specJson);
    // Recorded first, as the steps do.
    new InventoryStore(world.kv, world.layout)
        .write(new InventoryStore.Versioned(Inventory.empty(name), 0), inventory);
    DatabaseCredentials login = providers.credentials().getOrCreate(name, db.role());
    providers.sharedDatabases().ensure(db, login.password().toCharArray());
    providers
        .nomad()
        .register(
            jobs.serviceJob(
                new AppRelease(
                    name,
                    app.spec(),
                    login.url(world.sharedEndpoint(), db.database()),
                    Optional.empty()),
                true));
    providers.routes().publish(host, "127.0.0.1:1");
    for (int i = 0; i < 3; i++) {
      String key = ReviewAppWorld.ASSETS_PREFIX + name + "/app-" + i + ".js";
      world.s3.putObject(
          r -> r.bucket(ReviewAppWorld.ASSETS_BUCKET).key(key), RequestBody.fromString("x"));
    }
  }

  private static int databasesLeft(ReviewAppWorld world) throws Exception {
    try (Connection admin = world.postgres.admin("postgres");
        Statement s = admin.createStatement();
        ResultSet rs =
            s.executeQuery(
                "SELECT (SELECT count(*) FROM pg_database WHERE datname LIKE 'ra_deploy_gone_%')"
                    + " + (SELECT count(*) FROM pg_roles WHERE rolname LIKE 'ra_deploy_gone_%')")) {
      rs.next();
      return rs.getInt(1);
    }
  }
}
