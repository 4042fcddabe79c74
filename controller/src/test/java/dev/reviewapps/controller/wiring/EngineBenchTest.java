package dev.reviewapps.controller.wiring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.Injector;
import com.google.inject.multibindings.OptionalBinder;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.RunningConsul;
import dev.reviewapps.controller.config.ConfigLoader;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.Result;
import io.micrometer.core.instrument.Counter;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The engine with a no-op reconciler against the devstack Consul (in this JVM): time from a spec
 * PUT to the start of its reconcile, Consul requests per minute at rest for two spec counts, and
 * the controller's heap after settling. Run with {@code make bench}; it prints figures and checks
 * only that the runs completed.
 */
@Tag("bench")
class EngineBenchTest {
  private static final int PROBES = 200;
  // Probes come a quarter second apart, like independent pushes; the watch deliberately makes
  // no more than one call per 100 ms, so PUTs closer together than that would measure the floor.
  private static final Duration PROBE_GAP = Duration.ofMillis(250);
  private static final Duration REST_WINDOW = Duration.ofSeconds(60);

  @Test
  void putToReconcileLatencyRequestsAtRestAndHeap() throws Exception {
    String spec = specJson();
    try (RunningConsul consul = new RunningConsul()) {
      KeyValueStore kv = consul.store();
      for (int specs : new int[] {500, 5_000}) {
        run(consul, kv, spec, specs);
      }
    }
  }

  private void run(RunningConsul consul, KeyValueStore kv, String spec, int specs)
      throws Exception {
    String prefix = "bench" + specs + "/";
    writeSpecs(kv, prefix, spec, specs);
    long heapBefore = settledHeap();

    Map<String, Long> started = new ConcurrentHashMap<>();
    LongAdder reconciles = new LongAdder();
    Reconciler noop =
        name -> {
          started.put(name, System.nanoTime());
          reconciles.increment();
          return Result.done();
        };
    Injector injector =
        ControllerInjector.create(
            ConfigLoader.load(
                Optional.empty(),
                Map.of(
                    "CONSUL_HTTP_ADDR",
                    consul.address().toString(),
                    "REVIEW_APPS_PREFIX",
                    prefix,
                    "REVIEW_APPS_HTTP_BIND",
                    "127.0.0.1",
                    "REVIEW_APPS_HTTP_PORT",
                    "0")),
            new AbstractModule() {
              @Override
              protected void configure() {
                OptionalBinder.newOptionalBinder(binder(), Reconciler.class)
                    .setBinding()
                    .toInstance(noop);
              }
            });
    ControllerProcess process = injector.getInstance(ControllerProcess.class);
    PrometheusMeterRegistry registry = injector.getInstance(PrometheusMeterRegistry.class);
    long t0 = System.nanoTime();
    process.start();
    try {
      await().atMost(Duration.ofMinutes(3)).until(() -> reconciles.sum() >= specs);
      long initialMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      List<Long> latencies = new ArrayList<>();
      for (int i = 0; i < PROBES; i++) {
        String name = "deploy-" + (i * 7919 % specs);
        long put = System.nanoTime();
        kv.put(prefix + "specs/" + name, (spec + " ").getBytes(UTF_8));
        await()
            .atMost(Duration.ofSeconds(30))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> started.getOrDefault(name, 0L) > put);
        latencies.add(started.get(name) - put);
        long next = put + PROBE_GAP.toNanos();
        // Pacing of the probes, not a wait for state.
        new CountDownLatch(1).await(Math.max(0, next - System.nanoTime()), TimeUnit.NANOSECONDS);
      }
      Collections.sort(latencies);

      double before = requests(registry);
      // A measurement window, not a wait for state: nothing is expected to happen in it.
      new CountDownLatch(1).await(REST_WINDOW.toMillis(), TimeUnit.MILLISECONDS);
      double atRest = (requests(registry) - before) * 60.0 / REST_WINDOW.toSeconds();
      long heapAfter = settledHeap();

      String n = specs + " specs";
      System.out.printf("engine.initial-reconcile-all (%s) = %d ms%n", n, initialMs);
      System.out.printf("engine.put-to-reconcile p50 (%s) = %d ms%n", n, millis(latencies, 0.50));
      System.out.printf("engine.put-to-reconcile p99 (%s) = %d ms%n", n, millis(latencies, 0.99));
      System.out.printf("engine.put-to-reconcile max (%s) = %d ms%n", n, millis(latencies, 1.0));
      System.out.printf("engine.consul-requests-per-minute-at-rest (%s) = %.1f%n", n, atRest);
      System.out.printf(
          "engine.controller-heap-after-settling (%s) = %d MB (JVM used heap %d MB, minus %d MB"
              + " before the controller started: stand-in and test)%n",
          n, (heapAfter - heapBefore) >> 20, heapAfter >> 20, heapBefore >> 20);
      assertThat(latencies).hasSize(PROBES);
    } finally {
      process.close();
    }
  }

  private static long millis(List<Long> sorted, double quantile) {
    int index = (int) Math.ceil(quantile * sorted.size()) - 1;
    return TimeUnit.NANOSECONDS.toMillis(sorted.get(Math.max(0, index)));
  }

  private static double requests(PrometheusMeterRegistry registry) {
    return registry.find("consul.client.requests").counters().stream()
        .mapToDouble(Counter::count)
        .sum();
  }

  private static long settledHeap() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    for (int i = 0; i < 3; i++) {
      System.gc();
    }
    return memory.getHeapMemoryUsage().getUsed();
  }

  private static void writeSpecs(KeyValueStore kv, String prefix, String spec, int specs)
      throws Exception {
    ExecutorService writers = Executors.newFixedThreadPool(8);
    try {
      List<Future<?>> writes = new ArrayList<>();
      for (int i = 0; i < specs; i++) {
        String key = prefix + "specs/deploy-" + i;
        writes.add(writers.submit(() -> kv.put(key, spec.getBytes(UTF_8))));
      }
      for (Future<?> w : writes) {
        w.get();
      }
    } finally {
      writers.shutdown();
    }
  }

  private static String specJson() throws Exception {
    // A spec of realistic size (the example with a shared database), so that listings weigh
    // what they would in production.
    java.nio.file.Path example =
        java.nio.file.Path.of("..", "examples", "specs", "shared-database.json");
    return java.nio.file.Files.exists(example)
        ? java.nio.file.Files.readString(example).replaceAll("\\s+", " ")
        : "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\"}";
  }
}
