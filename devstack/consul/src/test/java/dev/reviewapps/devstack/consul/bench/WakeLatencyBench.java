package dev.reviewapps.devstack.consul.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * 2,000 blocking queries parked on one prefix of a stand-in running in its own JVM; one PUT under
 * the prefix; how long until each watcher has its answer, and what the server's heap and thread
 * count are while they wait. The watchers are async {@code java.net.http} requests, not threads.
 */
@Tag("bench")
class WakeLatencyBench {
  private static final int WATCHERS = 2_000;
  private static final int ROUNDS = 5;
  // The first rounds run while the JIT compiles the wake path; they are not counted.
  private static final int WARMUP_ROUNDS = 3;
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http =
      HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

  @Test
  void onePutWakesTwoThousandWatchersOfAPrefix() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path java = Path.of(System.getProperty("java.home"), "bin", "java");
    Process server =
        new ProcessBuilder(
                java.toString(),
                "-Xmx512m",
                "-cp",
                System.getProperty("java.class.path"),
                StandInProcess.class.getName(),
                "--port",
                Integer.toString(port))
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    String base = "http://127.0.0.1:" + port;
    try {
      await()
          .atMost(Duration.ofSeconds(30))
          .ignoreExceptions()
          .until(() -> get(base + "/v1/status/leader").statusCode() == 200);
      put(base + "/v1/kv/bench/routes/seed", "10.0.0.1:1");
      long idleHeap = heapAfterGc(server, base);
      long index = index(get(base + "/v1/kv/bench/routes/?recurse"));
      List<Double> latencies = new ArrayList<>();
      long parkedHeap = 0;
      long parkedThreads = 0;
      long wakeCpuMillis = 0;
      try (RawWatchers watchers =
          new RawWatchers(new InetSocketAddress("127.0.0.1", port), WATCHERS)) {
        for (int round = 0; round < WARMUP_ROUNDS + ROUNDS; round++) {
          watchers.send("/v1/kv/bench/routes/?recurse&index=" + index + "&wait=5m");
          await()
              .atMost(Duration.ofSeconds(60))
              .pollInterval(Duration.ofMillis(50))
              .until(() -> gauge(base, "consul.rpc.queries_blocking") >= WATCHERS);
          if (round == WARMUP_ROUNDS) {
            parkedHeap = heapAfterGc(server, base);
            parkedThreads = gauge(base, "consul.runtime.num_goroutines");
          }
          long cpuBefore = cpuMillis(server);
          long start = System.nanoTime();
          put(base + "/v1/kv/bench/routes/host-" + round, "10.0.0." + round + ":2");
          assertThat(watchers.awaitAnswers(Duration.ofSeconds(60))).isTrue();
          assertThat(watchers.statuses()).containsOnly(200);
          if (round >= WARMUP_ROUNDS) {
            wakeCpuMillis += cpuMillis(server) - cpuBefore;
            for (long t : watchers.answeredAt()) {
              latencies.add((t - start) / 1e6);
            }
          }
          assertThat(watchers.index()).isGreaterThan(index);
          index = watchers.index();
        }
      }
      double[] sorted = latencies.stream().mapToDouble(Double::doubleValue).sorted().toArray();
      System.out.printf(
          "consul.wake watchers = %d, rounds = %d (after %d warm-up), load average = %.1f%n",
          WATCHERS,
          ROUNDS,
          WARMUP_ROUNDS,
          ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
      System.out.printf("consul.wake p50 = %.1f ms%n", percentile(sorted, 50));
      System.out.printf("consul.wake p99 = %.1f ms%n", percentile(sorted, 99));
      System.out.printf("consul.wake max = %.1f ms%n", sorted[sorted.length - 1]);
      // CPU is what load on a shared machine does not distort: wall-clock latency waits for it.
      System.out.printf(
          "consul.wake server cpu per round = %.0f ms (%.1f us per watcher)%n",
          wakeCpuMillis / (double) ROUNDS, wakeCpuMillis * 1000.0 / ROUNDS / WATCHERS);
      System.out.printf("consul.heap idle = %.1f MB%n", idleHeap / 1048576.0);
      System.out.printf("consul.heap with %d parked = %.1f MB%n", WATCHERS, parkedHeap / 1048576.0);
      System.out.printf("consul.threads with %d parked = %d%n", WATCHERS, parkedThreads);
      assertThat(parkedThreads).isLessThan(WATCHERS / 10);
    } finally {
      server.destroy();
      server.waitFor(10, TimeUnit.SECONDS);
    }
  }

  // utime + stime of the server process from /proc, in milliseconds (Linux clock ticks of 10 ms).
  private static long cpuMillis(Process process) throws IOException {
    String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) * 10;
  }

  private static double percentile(double[] sorted, int p) {
    int at = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(sorted.length - 1, at))];
  }

  // Heap in use right after a full GC of the server process, from Consul's runtime gauge.
  private long heapAfterGc(Process server, String base) throws Exception {
    Process gc =
        new ProcessBuilder("jcmd", Long.toString(server.pid()), "GC.run")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.DISCARD)
            .start();
    assertThat(gc.waitFor(30, TimeUnit.SECONDS)).isTrue();
    return gauge(base, "consul.runtime.alloc_bytes");
  }

  private long gauge(String base, String name) throws IOException, InterruptedException {
    JsonNode metrics = JSON.readTree(get(base + "/v1/agent/metrics").body());
    for (JsonNode gauge : metrics.get("Gauges")) {
      if (gauge.get("Name").asText().equals(name)) {
        return gauge.get("Value").asLong();
      }
    }
    throw new IllegalStateException("no gauge " + name);
  }

  private HttpResponse<String> get(String url) throws IOException, InterruptedException {
    return http.send(
        HttpRequest.newBuilder(URI.create(url)).build(), HttpResponse.BodyHandlers.ofString());
  }

  private void put(String url, String body) throws IOException, InterruptedException {
    HttpResponse<String> response =
        http.send(
            HttpRequest.newBuilder(URI.create(url))
                .PUT(HttpRequest.BodyPublishers.ofString(body))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(response.body()).isEqualTo("true");
  }

  private static long index(HttpResponse<?> response) {
    return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
  }
}
