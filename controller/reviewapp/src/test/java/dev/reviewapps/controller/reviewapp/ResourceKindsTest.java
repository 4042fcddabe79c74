package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.Inject;
import com.google.inject.multibindings.Multibinder;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.orphans.OrphanSweep;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.controller.reviewapp.wiring.ResourceKindsModule;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The resource kinds as one ordered list: the order the controller binds, and a kind added the way
 * the README says (one class, one binding) taking part in the whole life of an app through the
 * engine: ensured, deleted in the teardown, swept as an orphan, and never leaked when it is gone
 * from the list.
 */
class ResourceKindsTest {

  private static final Duration RECHECK = Duration.ofMillis(200);
  private static ReviewAppWorld world;

  @BeforeAll
  static void start() throws Exception {
    world = ReviewAppWorld.start(64_000, 64_000);
  }

  @AfterAll
  static void stop() throws Exception {
    world.close();
  }

  /**
   * The example of the README: a "DNS record" for the app, kept as a Consul key {@code
   * example-dns/<name>} so that the test can read it. Recorded before it is written, deleted by its
   * inventory entry, its orphans found under its prefix.
   */
  static final class DnsRecordKind implements ResourceKind {
    static final String PREFIX = "example-dns/";
    private final KeyValueStore kv;
    private final ReviewAppSettings settings;

    @Inject
    DnsRecordKind(ReviewAppSettings settings) {
      this.kv = world.kv;
      this.settings = settings;
    }

    @Override
    public String name() {
      return "dns-record";
    }

    @Override
    public Optional<ConditionType> condition() {
      return Optional.empty();
    }

    @Override
    public StepOutcome ensure(Reconciliation run) {
      String key = PREFIX + run.app();
      String value = settings.hosts().host(new dev.reviewapps.model.naming.AppName(run.app()));
      run.record(new Resource.Custom(name(), key));
      if (!kv.get(key).map(e -> e.text().equals(value)).orElse(false)) {
        kv.put(key, value.getBytes(StandardCharsets.UTF_8));
      }
      return new StepOutcome.Ready("Published", key + " = " + value);
    }

    @Override
    public Optional<Duration> delete(Dismantling run) {
      for (Resource.Custom record : run.inventory().resources(Resource.Custom.class)) {
        if (record.kind().equals(name())) {
          run.deleting("deleting the DNS record");
          kv.delete(record.id());
          run.forget(record);
        }
      }
      return Optional.empty();
    }

    @Override
    public List<OrphanSource> orphans() {
      return List.of(
          new OrphanSource(
              name(),
              () -> {
                Map<String, String> byApp = new TreeMap<>();
                kv.keys(PREFIX).forEach(k -> byApp.put(k, k.substring(PREFIX.length())));
                return byApp;
              },
              (id, app) -> id.equals(PREFIX + app),
              o -> kv.delete(o.id())));
    }
  }

  private static List<ResourceKind> kinds(boolean withDns, SimpleMeterRegistry registry) {
    ReviewAppJobs.Settings jobs =
        ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults());
    var providers = world.providers();
    return ResourceKindsModule.standard(
        providers,
        new ReviewAppJobs(jobs),
        world.databases(),
        settings(),
        TeardownSettings.defaults(RECHECK, RECHECK),
        CapacitySizer.inline(providers.capacity(), new InventoryStore(world.kv, world.layout)),
        registry,
        Clock.systemUTC(),
        withDns
            ? binder ->
                Multibinder.newSetBinder(binder, ResourceKind.class)
                    .addBinding()
                    .to(DnsRecordKind.class)
            : binder -> {});
  }

  private static ReviewAppSettings settings() {
    return new ReviewAppSettings(
        ReviewAppWorld.HOSTS, "http", RECHECK, Duration.ofSeconds(30), Optional.empty());
  }

  private static Engine engine(List<ResourceKind> kinds, SimpleMeterRegistry registry) {
    ReviewAppJobs.Settings jobs =
        ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults());
    Teardown teardown =
        world.teardown(kinds, TeardownSettings.defaults(RECHECK, RECHECK), registry);
    ReviewAppReconciler reconciler =
        world.reconciler(
            kinds,
            jobs,
            settings(),
            Clock.systemUTC(),
            registry,
            teardown,
            ReviewAppReconciler.StepObserver.NONE,
            ReviewAppReconciler.Policies.NONE);
    return world.startEngine(reconciler, registry, 2);
  }

  @Test
  void theKindsAreEnsuredInTheOrderTheyAreBoundAndTornDownInReverse() {
    assertThat(kinds(false, new SimpleMeterRegistry()))
        .extracting(ResourceKind::name)
        .containsExactly(
            "assets",
            "database",
            "capacity",
            "redis",
            "predestroy",
            "migrate",
            "seed",
            "web",
            "worker",
            "route");
    assertThat(kinds(true, new SimpleMeterRegistry()))
        .last()
        .extracting(ResourceKind::name)
        .isEqualTo("dns-record");
  }

  @Test
  void aKindAddedWithOneBindingIsEnsuredTornDownAndSwept() throws Exception {
    String name = "deploy-kind-dns";
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    List<ResourceKind> kinds = kinds(true, registry);
    Engine engine = engine(kinds, registry);
    try {
      world.kv.put(
          world.layout.spec(name), Apps.shared(name, "abab0001").getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> world.status(name).map(s -> s.phase() == Phase.Ready).orElse(false));
      assertThat(world.kv.get(DnsRecordKind.PREFIX + name).orElseThrow().text())
          .isEqualTo(name + ".review.test");
      assertThat(new InventoryStore(world.kv, world.layout).read(name).inventory().resources())
          .contains(new Resource.Custom("dns-record", DnsRecordKind.PREFIX + name));

      world.kv.delete(world.layout.spec(name));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> world.kv.get(world.layout.inventory(name)).isEmpty());
      assertThat(world.kv.get(DnsRecordKind.PREFIX + name)).isEmpty();
    } finally {
      engine.stop(Duration.ofSeconds(5));
    }

    // A record left by an app that has neither spec nor inventory is the kind's orphan. (Two other
    // apps have specs: a sweep that reads no spec at all removes nothing.)
    List<String> keepers = List.of("deploy-kind-keeper-1", "deploy-kind-keeper-2");
    for (String keeper : keepers) {
      world.kv.put(world.layout.spec(keeper), "{}".getBytes(StandardCharsets.UTF_8));
    }
    world.kv.put(DnsRecordKind.PREFIX + "deploy-kind-gone", "x".getBytes(StandardCharsets.UTF_8));
    OrphanSweep sweep =
        new OrphanSweep(
            world.kv,
            world.layout,
            kinds,
            false,
            Duration.ofMinutes(10),
            registry,
            new DeletionGuard(
                world.kv, world.layout, GuardLimits.DEFAULTS, registry, Clock.systemUTC()));
    assertThat(sweep.sweep())
        .extracting(OrphanSource.Orphan::kind, OrphanSource.Orphan::app)
        .contains(org.assertj.core.groups.Tuple.tuple("dns-record", "deploy-kind-gone"));
    assertThat(world.kv.get(DnsRecordKind.PREFIX + "deploy-kind-gone")).isEmpty();
    for (String keeper : keepers) {
      world.kv.delete(world.layout.spec(keeper));
    }
  }

  @Test
  void aRecordedResourceThatNoKindDeletesKeepsTheInventoryAndSaysSo() throws Exception {
    String name = "deploy-kind-lost";
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    Engine withDns = engine(kinds(true, registry), registry);
    try {
      world.kv.put(
          world.layout.spec(name), Apps.shared(name, "abab0002").getBytes(StandardCharsets.UTF_8));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(() -> world.status(name).map(s -> s.phase() == Phase.Ready).orElse(false));
    } finally {
      withDns.stop(Duration.ofSeconds(5));
    }

    // A controller whose list lost the kind: everything else goes, the record and the inventory
    // that names it stay, and the status says why.
    Engine without = engine(kinds(false, registry), registry);
    try {
      world.kv.delete(world.layout.spec(name));
      await()
          .atMost(Duration.ofSeconds(120))
          .until(
              () ->
                  world
                      .status(name)
                      .flatMap(s -> s.lastError())
                      .map(e -> e.contains("no resource kind deleted"))
                      .orElse(false));
      assertThat(world.kv.get(world.layout.inventory(name))).isPresent();
      assertThat(world.kv.get(DnsRecordKind.PREFIX + name)).isPresent();
      assertThat(world.kv.get(world.keys.routes() + name + ".review.test")).isEmpty();
    } finally {
      without.stop(Duration.ofSeconds(5));
    }

    // The kind back in the list: the teardown finishes.
    Engine again = engine(kinds(true, registry), registry);
    try {
      await()
          .atMost(Duration.ofSeconds(60))
          .until(() -> world.kv.get(world.layout.inventory(name)).isEmpty());
      assertThat(world.kv.get(DnsRecordKind.PREFIX + name)).isEmpty();
    } finally {
      again.stop(Duration.ofSeconds(5));
    }
  }
}
