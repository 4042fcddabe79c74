package dev.reviewapps.controller.wiring;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.google.inject.AbstractModule;
import com.google.inject.multibindings.OptionalBinder;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.RunningConsul;
import dev.reviewapps.controller.config.ConfigLoader;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.Result;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.engine.TerminalErrors;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ControllerProcessTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final Duration LOCK_DELAY = Duration.ofSeconds(1);
  private static final Duration HANDOVER = TTL.multipliedBy(2).plus(LOCK_DELAY).plusSeconds(3);
  private static final AtomicInteger TESTS = new AtomicInteger();

  @RegisterExtension static final RunningConsul consul = new RunningConsul();
  private static final KeyValueStore kv = consul.store();

  private final String prefix = "apps" + TESTS.incrementAndGet() + "/";
  private final List<ControllerProcess> processes = new ArrayList<>();
  // Which process is inside a reconcile right now, and whether two ever were at once.
  private final Map<String, AtomicInteger> reconcilingNow = new ConcurrentHashMap<>();
  private final AtomicInteger overlaps = new AtomicInteger();
  private final Map<String, Set<String>> reconciledBy = new ConcurrentHashMap<>();
  // What the engine handed to the bound TerminalErrors: name -> message.
  private final Map<String, String> terminal = new ConcurrentHashMap<>();

  @AfterEach
  void stopProcesses() {
    processes.forEach(ControllerProcess::close);
  }

  private ControllerConfig config() throws Exception {
    Map<String, String> env = new HashMap<>();
    env.put("CONSUL_HTTP_ADDR", consul.address().toString());
    env.put("REVIEW_APPS_PREFIX", prefix);
    env.put("REVIEW_APPS_HTTP_BIND", "127.0.0.1");
    env.put("REVIEW_APPS_HTTP_PORT", "0");
    env.put("REVIEW_APPS_LEADER_TTL", TTL.toSeconds() + "s");
    env.put("REVIEW_APPS_LOCK_DELAY", LOCK_DELAY.toSeconds() + "s");
    env.put("REVIEW_APPS_BACKOFF_BASE", "10ms");
    env.put("REVIEW_APPS_SHUTDOWN_GRACE", "2s");
    return ConfigLoader.load(Optional.empty(), env);
  }

  /** A controller whose reconciler records who reconciles what, bound the way plug-ins are. */
  private ControllerProcess controller(String id) throws Exception {
    Reconciler recorder =
        name -> {
          AtomicInteger mine = reconcilingNow.computeIfAbsent(id, k -> new AtomicInteger());
          mine.incrementAndGet();
          try {
            boolean othersBusy =
                reconcilingNow.entrySet().stream()
                    .anyMatch(e -> !e.getKey().equals(id) && e.getValue().get() > 0);
            if (othersBusy) {
              overlaps.incrementAndGet();
            }
            reconciledBy.computeIfAbsent(name, k -> ConcurrentHashMap.newKeySet()).add(id);
            if (name.startsWith("invalid")) {
              throw new TerminalError("spec.image: must not be empty");
            }
            return Result.done();
          } finally {
            mine.decrementAndGet();
          }
        };
    ControllerProcess process =
        ControllerInjector.create(
                config(),
                new AbstractModule() {
                  @Override
                  protected void configure() {
                    OptionalBinder.newOptionalBinder(binder(), Reconciler.class)
                        .setBinding()
                        .toInstance(recorder);
                    OptionalBinder.newOptionalBinder(binder(), TerminalErrors.class)
                        .setBinding()
                        .toInstance((name, error) -> terminal.put(name, error.getMessage()));
                  }
                })
            .getInstance(ControllerProcess.class);
    processes.add(process);
    process.start();
    return process;
  }

  private void putSpec(String name) {
    kv.put(prefix + "specs/" + name, "{}".getBytes(UTF_8));
  }

  private static HttpResponse<String> get(int port, String path) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
            HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void atMostOneControllerReconcilesAndTheSurvivorTakesOverAfterAKill() throws Exception {
    ControllerProcess a = controller("a");
    ControllerProcess b = controller("b");
    for (int i = 0; i < 20; i++) {
      putSpec("deploy-" + i);
    }
    await().atMost(HANDOVER).until(() -> reconciledBy.size() == 20);
    ControllerProcess leader = a.isLeader() ? a : b;
    ControllerProcess survivor = leader == a ? b : a;
    String survivorId = survivor == a ? "a" : "b";

    leader.kill();
    putSpec("deploy-after-kill");

    await()
        .atMost(HANDOVER)
        .until(() -> reconciledBy.getOrDefault("deploy-after-kill", Set.of()).contains(survivorId));
    assertThat(survivor.isLeader()).isTrue();
    // The new term queued everything once, as a restart would.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> reconciledBy.values().stream().allMatch(s -> s.contains(survivorId)));
    assertThat(overlaps).as("two controllers reconciling at once").hasValue(0);
  }

  @Test
  void endpointsServeMetricsHealthAndReadiness() throws Exception {
    ControllerProcess process = controller("solo");
    int port = process.httpPort();
    assertThat(get(port, "/healthz").statusCode()).isEqualTo(200);
    await().atMost(HANDOVER).until(process::isLeader);
    putSpec("deploy-metrics");
    await().atMost(Duration.ofSeconds(10)).until(() -> reconciledBy.containsKey("deploy-metrics"));

    HttpResponse<String> ready = get(port, "/readyz");
    HttpResponse<String> metrics = get(port, "/metrics");

    assertThat(ready.statusCode()).isEqualTo(200);
    assertThat(metrics.statusCode()).isEqualTo(200);
    assertThat(metrics.headers().firstValue("Content-Type"))
        .hasValueSatisfying(t -> assertThat(t).startsWith("text/plain"));
    assertThat(metrics.body())
        .contains("controller_runtime_reconcile_total{controller=\"reviewapp\",result=\"success\"}")
        .contains("controller_runtime_reconcile_errors_total{controller=\"reviewapp\"}")
        .contains("controller_runtime_terminal_reconcile_errors_total{controller=\"reviewapp\"}")
        .contains("controller_runtime_reconcile_time_seconds_count{controller=\"reviewapp\"}")
        .contains("controller_runtime_active_workers{controller=\"reviewapp\"}")
        .contains("workqueue_depth{controller=\"reviewapp\",name=\"reviewapp\"}")
        .contains("workqueue_adds_total{controller=\"reviewapp\",name=\"reviewapp\"}")
        .contains(
            "workqueue_queue_duration_seconds_bucket{controller=\"reviewapp\",name=\"reviewapp\"")
        .contains(
            "workqueue_work_duration_seconds_bucket{controller=\"reviewapp\",name=\"reviewapp\"")
        .contains("workqueue_unfinished_work_seconds{controller=\"reviewapp\",name=\"reviewapp\"}")
        .contains(
            "workqueue_longest_running_processor_seconds{controller=\"reviewapp\",name=\"reviewapp\"}")
        .contains("workqueue_retries_total{controller=\"reviewapp\",name=\"reviewapp\"}")
        .contains("leader_election_master_status{name=\"reviewapp\"} 1.0")
        .contains("resilience4j_circuitbreaker_state{name=\"consul\",state=\"closed\"} 1.0")
        .contains("consul_client_requests_total{endpoint=\"kv\"");
    assertThat(get(port, "/nothing").statusCode()).isEqualTo(404);
  }

  @Test
  void aTerminalErrorReachesTheBoundTerminalErrors() throws Exception {
    ControllerProcess process = controller("solo");
    await().atMost(HANDOVER).until(process::isLeader);

    putSpec("invalid-app");

    await().atMost(Duration.ofSeconds(10)).until(() -> terminal.containsKey("invalid-app"));
    assertThat(terminal.get("invalid-app")).isEqualTo("spec.image: must not be empty");
  }

  @Test
  void aGracefulStopReleasesTheLockAtOnce() throws Exception {
    ControllerProcess process = controller("solo");
    await().atMost(HANDOVER).until(process::isLeader);
    assertThat(kv.get(prefix + "leader").orElseThrow().session()).isPresent();

    process.close();

    assertThat(kv.get(prefix + "leader").orElseThrow().session()).isEmpty();
    assertThat(process.isLeader()).isFalse();
  }
}
