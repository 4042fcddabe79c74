package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.engine.ReconcileMetrics;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.engine.WorkQueueMetrics;
import dev.reviewapps.controller.reviewapp.testing.ReviewAppWorld;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.Phase;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@code make bench}: 200 review apps, each a shared database and one tiny raw_exec web process
 * ({@code python3 -m http.server}), reconciled by the real engine (8 workers) against devstack
 * Consul, Nomad and AWS and a real PostgreSQL. Prints the time until all are Ready and the CPU
 * seconds the controller's threads used.
 */
@Tag("bench")
class ReviewAppBenchmarkTest {

  private static final int APPS = 200;
  static final int WORKERS = 8;

  static String tinyApp(String name) {
    return "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\",\"metadata\":{\"name\":\""
        + name
        + "\"},\"spec\":{\"branch\":\""
        + name
        + "\",\"commit\":\"0123abcd\",\"image\":\"registry.example.com/tiny:0123abcd\","
        + "\"database\":{\"mode\":\"shared\"},"
        + "\"processes\":{\"web\":{\"command\":\"/usr/bin/python3 -m http.server \\\"$PORT\\\""
        + " --bind \\\"$HOST\\\"\",\"count\":1,\"cpu\":50,\"memoryMB\":32,\"healthPath\":\"/\"}},"
        + "\"env\":{}}}";
  }

  /** The real engine over the world's Consul, as the benchmarks run it: 8 workers. */
  static Engine engine(ReviewAppWorld world, Reconciler reconciler) {
    return world.engine(
        reconciler,
        WORKERS,
        TerminalErrors.ignore(),
        WorkQueueMetrics.none(),
        ReconcileMetrics.none());
  }

  @Test
  void twoHundredAppsBecomeReady() throws Exception {
    try (ReviewAppWorld world = ReviewAppWorld.start(1_000_000, 1_000_000)) {
      SimpleMeterRegistry registry = new SimpleMeterRegistry();
      ReviewAppReconciler reconciler =
          world.reconciler(
              Duration.ofMillis(500),
              Clock.systemUTC(),
              registry,
              ReviewAppReconciler.AbsentSpec.NOTHING,
              ReviewAppReconciler.StepObserver.NONE,
              ReviewAppReconciler.Policies.NONE);
      Engine engine = engine(world, reconciler);
      engine.start();
      long started = System.nanoTime();
      for (int i = 0; i < APPS; i++) {
        String name = String.format("deploy-bench-%03d", i);
        world.kv.put(world.layout.spec(name), tinyApp(name).getBytes(StandardCharsets.UTF_8));
      }
      await()
          .atMost(Duration.ofMinutes(8))
          .pollInterval(Duration.ofSeconds(1))
          .until(() -> readyCount(world) == APPS);
      Duration allReady = Duration.ofNanos(System.nanoTime() - started);
      double controllerCpu = controllerCpuSeconds();
      engine.stop(Duration.ofSeconds(5));

      Timer ready = reconciler.timeToReady();
      System.out.printf(
          "BENCH reviewapp: %d apps Ready in %.1f s; time to Ready per app mean %.1f s, max %.1f s;"
              + " controller threads CPU %.1f s; %d workers%n",
          APPS,
          allReady.toMillis() / 1000.0,
          ready.mean(TimeUnit.SECONDS),
          ready.max(TimeUnit.SECONDS),
          controllerCpu,
          WORKERS);
      assertThat(ready.count()).isEqualTo(APPS);
    }
  }

  private static long readyCount(ReviewAppWorld world) {
    return count(world, Phase.Ready);
  }

  /** The apps whose status says {@code phase}. */
  static long count(ReviewAppWorld world, Phase phase) {
    return world
        .kv
        .list(world.layout.statuses(), dev.reviewapps.consul.BlockingQuery.NONE)
        .entries()
        .stream()
        .filter(
            e ->
                ReviewAppJson.parseStatus(e.value())
                    .toOptional()
                    .map(s -> s.phase() == phase)
                    .orElse(false))
        .count();
  }

  /** CPU of the engine's threads: workers (which make every client call), watch and resync. */
  private static double controllerCpuSeconds() {
    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    long nanos = 0;
    for (var info : threads.dumpAllThreads(false, false)) {
      String name = info.getThreadName();
      if (name.startsWith("reviewapp-worker-")
          || name.startsWith("watch ")
          || name.equals("resync")) {
        nanos += Math.max(0, threads.getThreadCpuTime(info.getThreadId()));
      }
    }
    return nanos / 1e9;
  }
}
