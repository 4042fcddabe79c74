package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * One router and one Consul for the class; each test uses hosts of its own. Each worker of this
 * router remembers only a few hosts (host_records_max), so every test here also runs while the
 * workers' records of hosts reset, over and over.
 */
class RoutingTest {
  private static final int RECORDS_MAX = 5;

  @TempDir static Path dir;
  static Consul consul;
  static NginxRouter router;
  static Backend one;
  static Backend two;

  @BeforeAll
  static void start() throws IOException {
    consul = Consul.start(dir.resolve("consul"));
    router =
        NginxRouter.start(
            dir.resolve("nginx"), consul.port(), Map.of("host_records_max", RECORDS_MAX));
    one = Backend.start("one");
    two = Backend.start("two");
  }

  @AfterAll
  static void stop() {
    // Each of these closes without throwing, so one failing to start does not leak the others.
    if (router != null) {
      router.close();
    }
    for (Backend backend : new Backend[] {one, two}) {
      if (backend != null) {
        backend.close();
      }
    }
    if (consul != null) {
      consul.close();
    }
  }

  private int keptRequests;

  private String kept(String host) throws IOException, InterruptedException {
    keptRequests++;
    var response = router.get(host);
    return response.statusCode() + " " + response.body();
  }

  @Test
  void aFloodOfNewHostsResetsTheRecordsButNeitherRoutingNorCounts() throws Exception {
    String host = host("deploy-kept");
    consul.putRoute(host, one.address());
    // Waits on another route written after it, not on requests for the app: every request for
    // the app below is counted. A table that has the later write has the earlier one too.
    String probe = host("deploy-kept-probe");
    consul.putRoute(probe, one.address());
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(probe).statusCode() == 200);

    int junk = 0;
    for (int i = 0; i < 30; i++) {
      assertThat(kept(host)).isEqualTo("200 one");
      // Ten new hosts per turn: each worker's records reset at least once between two requests
      // for the app (nginx spreads connections over both workers).
      for (int j = 0; j < 2 * RECORDS_MAX; j++, junk++) {
        assertThat(router.get(host("junk-" + junk)).statusCode()).isEqualTo(404);
      }
    }
    // A change of the route while records come and go: no worker keeps the old one.
    consul.putRoute(host, two.address());
    await().atMost(Duration.ofSeconds(5)).until(() -> kept(host).equals("200 two"));
    for (int i = 0; i < 20; i++) {
      assertThat(kept(host)).isEqualTo("200 two");
      assertThat(router.get(host("junk-" + junk++)).statusCode()).isEqualTo(404);
    }

    int proxied = keptRequests;
    // Each worker hands its counts over once a second: all of them, exactly.
    await()
        .atMost(Duration.ofSeconds(5))
        .untilAsserted(
            () ->
                assertThat(router.metrics())
                    .containsPattern(
                        "router_requests_total\\{app=\"deploy-kept\",status=\"proxied\"\\} "
                            + proxied
                            + "(\n|$)"));
  }

  /** A second router on the class's Consul, in its own directory, with one setting of its own. */
  private static NginxRouter anotherRouter(String name, String variable, String value)
      throws IOException {
    return NginxRouter.start(dir.resolve(name), consul.port(), Map.of(), Map.of(variable, value));
  }

  private static String host(String app) {
    return app + "." + NginxRouter.DOMAIN;
  }

  /** Writes the route and waits until the router serves it. */
  private static void routeAndAwait(String host, String value) throws Exception {
    consul.putRoute(host, value);
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
  }

  private static String body(String host) throws IOException, InterruptedException {
    HttpResponse<String> response = router.get(host);
    return response.statusCode() + " " + response.body();
  }

  /**
   * Puts, changes and deletes a route and measures, with the router's own clock, how long after
   * Consul acknowledged each write the table held it; then checks requests follow. The client's own
   * latency is left out: on a loaded 2-core machine it alone can exceed 100 ms.
   */
  @Test
  void routeAddedChangedAndDeletedIsLiveWithin100Milliseconds() throws Exception {
    String host = host("deploy-live");
    assertThat(router.get(host).statusCode()).isEqualTo(404);

    assertThat(propagationMillis(() -> consul.putRoute(host, one.address()))).isLessThan(100);
    assertThat(body(host)).isEqualTo("200 one");

    assertThat(propagationMillis(() -> consul.putRoute(host, two.address()))).isLessThan(100);
    assertThat(body(host)).isEqualTo("200 two");

    assertThat(propagationMillis(() -> consul.delete(Consul.ROUTES + host))).isLessThan(100);
    assertThat(router.get(host).statusCode()).isEqualTo(404);
  }

  /**
   * Each worker keeps a copy of the routes it read, good until the table's version changes. A copy
   * that outlived a change would send requests to an address the app no longer has: after a change,
   * every request, on fresh connections so that both workers answer, sees the new table.
   */
  @Test
  void noWorkerServesItsCopyOfAChangedOrDeletedRoute() throws Exception {
    String host = host("deploy-copied");
    byte[] hostHeader = host.getBytes(StandardCharsets.US_ASCII);
    routeAndAwait(host, one.address());
    assertThat(statuses(hostHeader, 40)).containsOnly(200);

    propagationMillis(() -> consul.putRoute(host, "127.0.0.1:" + NginxRouter.freePort()));
    assertThat(statuses(hostHeader, 40)).containsOnly(502);

    propagationMillis(() -> consul.delete(Consul.ROUTES + host));
    assertThat(statuses(hostHeader, 40)).containsOnly(404);
  }

  /** Status codes of n requests, each on its own connection. */
  private static Set<Integer> statuses(byte[] hostHeader, int n) throws IOException {
    Set<Integer> seen = new HashSet<>();
    for (int i = 0; i < n; i++) {
      seen.add(router.rawStatus(hostHeader));
    }
    return seen;
  }

  interface ConsulWrite {
    void run() throws Exception;
  }

  /** Milliseconds from Consul's acknowledgement of the write to the router's table change. */
  private static long propagationMillis(ConsulWrite write) throws Exception {
    double before = router.status().at("/watches/routes/last_change_at").asDouble(0);
    write.run();
    long acknowledged = System.currentTimeMillis();
    await()
        .atMost(Duration.ofSeconds(5))
        .pollInterval(Duration.ofMillis(5))
        .until(() -> router.status().at("/watches/routes/last_change_at").asDouble(0) > before);
    double changedAt = router.status().at("/watches/routes/last_change_at").asDouble();
    long millis = Math.round(changedAt * 1000) - acknowledged;
    // A figure for the README; negative when the table changed before the PUT's reply arrived.
    System.out.println("route propagation after Consul's acknowledgement: " + millis + " ms");
    return millis;
  }

  @Test
  void severalUpstreamsShareTheRequests() throws Exception {
    String host = host("deploy-pair");
    routeAndAwait(host, one.address() + "," + two.address());
    Set<String> answered = new HashSet<>();
    for (int i = 0; i < 20; i++) {
      HttpResponse<String> response = router.get(host);
      assertThat(response.statusCode()).isEqualTo(200);
      answered.add(response.body());
    }
    assertThat(answered).containsExactlyInAnyOrder("one", "two");
  }

  @Test
  void upstreamRefusingConnectionsIsRetriedOnAnother() throws Exception {
    String host = host("deploy-half-down");
    String refusing = "127.0.0.1:" + NginxRouter.freePort();
    routeAndAwait(host, refusing + "," + one.address());
    for (int i = 0; i < 10; i++) {
      assertThat(body(host)).isEqualTo("200 one");
    }
    assertThat(router.metrics()).containsPattern("router_upstream_retries_total [1-9]");
  }

  @Test
  void upstreamConnectionsAreKeptAliveAndReused() throws Exception {
    try (Backend counted = Backend.start("counted")) {
      String host = host("deploy-keepalive");
      routeAndAwait(host, counted.address());
      for (int i = 0; i < 40; i++) {
        assertThat(body(host)).isEqualTo("200 counted");
      }
      // Without keepalive every request would arrive on a connection of its own (41+ ports);
      // with it, at most one idle connection per nginx worker is opened and then reused.
      assertThat(counted.requests()).isGreaterThanOrEqualTo(41);
      assertThat(counted.clientPorts()).hasSizeLessThanOrEqualTo(2);
    }
  }

  @Test
  void backendSeesTheOriginalHost() throws Exception {
    try (Backend seen = Backend.start("seen")) {
      String host = host("deploy-host-header");
      consul.putRoute(host, seen.address());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(() -> router.get(host + ":80").statusCode() == 200);
      assertThat(seen.hosts()).containsOnly(host);
    }
  }

  @Test
  void forwardedHeadersAreTheRoutersOwnNeverTheClients() throws Exception {
    try (Backend seen = Backend.start("forwarded")) {
      String host = host("deploy-forwarded");
      routeAndAwait(host, seen.address());
      seen.headers().clear();
      HttpResponse<String> response =
          router.send(
              host,
              "/",
              Map.of(
                  "X-Forwarded-For", "203.0.113.66",
                  "X-Forwarded-Host", "evil.example.org",
                  "X-Forwarded-Proto", "https",
                  "Forwarded", "for=203.0.113.66;host=evil.example.org",
                  "X-Real-IP", "203.0.113.66"));
      assertThat(response.statusCode()).isEqualTo(200);
      Map<String, List<String>> got = seen.headers().get(0);
      assertThat(got.get("X-forwarded-for")).containsExactly("127.0.0.1");
      assertThat(got.get("X-forwarded-host")).containsExactly(host);
      assertThat(got.get("X-forwarded-proto")).containsExactly("http");
      assertThat(got).doesNotContainKeys("Forwarded", "X-real-ip");
    }
  }

  @Test
  void behindATrustedProxyTheClientItNamesIsTheForwardedAddress() throws Exception {
    // The same router with 127.0.0.1 (the test, playing a load balancer) as trusted proxy.
    try (Backend seen = Backend.start("behind-proxy");
        NginxRouter trusting =
            anotherRouter("nginx-trusting", "ROUTER_TRUSTED_PROXIES", "127.0.0.1, ::1")) {
      String host = host("deploy-behind-proxy");
      consul.putRoute(host, seen.address());
      await().atMost(Duration.ofSeconds(5)).until(() -> trusting.get(host).statusCode() == 200);
      seen.headers().clear();
      trusting.send(host, "/", Map.of("X-Forwarded-For", "198.51.100.7"));
      assertThat(seen.headers().get(0).get("X-forwarded-for")).containsExactly("198.51.100.7");
    }
  }

  /**
   * A request whose body comes later reaches its balancer long after its access phase, when other
   * requests have gone through the same worker and its per-worker state: it must still go to its
   * own host. Guards any state a worker keeps between the two phases. One worker, so that the other
   * request surely passes the same one; {@code Expect: 100-continue} tells the test when the
   * waiting request's access phase is done (nginx answers 100 only when it starts to read the body,
   * after the access phase).
   */
  @Test
  void aRequestWhoseBodyComesLaterGoesToItsOwnHostAfterAnotherWasRouted() throws Exception {
    try (Backend waiting = Backend.start("waiting");
        Backend meanwhile = Backend.start("meanwhile");
        NginxRouter single = anotherRouter("nginx-one-worker", "ROUTER_WORKERS", "1")) {
      String slow = host("deploy-body-later");
      String other = host("deploy-routed-meanwhile");
      consul.putRoute(slow, waiting.address());
      consul.putRoute(other, meanwhile.address());
      await()
          .atMost(Duration.ofSeconds(5))
          .until(
              () -> single.get(slow).statusCode() == 200 && single.get(other).statusCode() == 200);
      try (Socket socket = single.connect()) {
        OutputStream out = socket.getOutputStream();
        InputStream in = socket.getInputStream();
        out.write(
            ("POST / HTTP/1.1\r\nHost: "
                    + slow
                    + "\r\nContent-Length: 4\r\nExpect: 100-continue\r\n"
                    + "Connection: close\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String continued = new String(in.readNBytes(25), StandardCharsets.US_ASCII);
        assertThat(continued).isEqualTo("HTTP/1.1 100 Continue\r\n\r\n");

        HttpResponse<String> routedMeanwhile = single.get(other);
        assertThat(routedMeanwhile.statusCode()).isEqualTo(200);
        assertThat(routedMeanwhile.body()).isEqualTo("meanwhile");

        out.write("body".getBytes(StandardCharsets.US_ASCII));
        out.flush();
        String response = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        assertThat(response).startsWith("HTTP/1.1 200").endsWith("waiting");
      }
      assertThat(waiting.hosts()).containsOnly(slow);
    }
  }

  @Test
  void absoluteFormRequestIsRoutedByTheHostItNamesAndPassesThatHostOn() throws Exception {
    try (Backend seen = Backend.start("absolute")) {
      String host = host("deploy-absolute");
      routeAndAwait(host, seen.address());
      int status =
          router.rawStatus(
              "http://" + host + "/", "elsewhere.example.org".getBytes(StandardCharsets.US_ASCII));
      assertThat(status).isEqualTo(200);
      assertThat(seen.hosts()).containsOnly(host);
    }
  }

  @Test
  void unknownHostGetsA404PageNamingIt() throws Exception {
    HttpResponse<String> response = router.get(host("deploy-nobody-pushed"));
    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).contains("deploy-nobody-pushed.review.test");
  }

  @Test
  void appThatIsNotReadyGets503WithRetryAfterAndItsPhase() throws Exception {
    String host = host("deploy-migrating");
    consul.put(Consul.STATUS + "deploy-migrating", "Deploying");
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 503);
    HttpResponse<String> response = router.get(host);
    assertThat(response.headers().firstValue("Retry-After")).contains("7");
    assertThat(response.body()).contains("deploying").contains("Deploying").contains(host);

    // Once the controller writes the route, the app is served whatever its status says.
    consul.putRoute(host, one.address());
    await().atMost(Duration.ofSeconds(5)).until(() -> body(host).equals("200 one"));
  }

  @Test
  void routesToForbiddenAddressesAreRefusedWith502() throws Exception {
    Map<String, String> forbidden =
        Map.of(
            host("deploy-metadata"),
            "169.254.169.254:80",
            host("deploy-outside"),
            "10.20.30.40:80",
            host("deploy-itself"),
            "127.0.0.1:" + router.port(),
            host("deploy-status-port"),
            "127.0.0.1:" + router.statusPort());
    for (Map.Entry<String, String> route : forbidden.entrySet()) {
      consul.putRoute(route.getKey(), route.getValue());
    }
    for (String host : forbidden.keySet()) {
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 502);
    }
    assertThat(router.errorLog())
        .contains("169.254.169.254:80 lies in always-denied 169.254.0.0/16")
        .contains("10.20.30.40:80 is outside the allowed CIDRs")
        .contains("127.0.0.1:" + router.port() + " is the router itself");
    assertThat(router.metrics()).containsPattern("router_refused_routes_total [4-9]");
  }

  static Stream<Arguments> badHosts() {
    return Stream.of(
        Arguments.of("a?recurse", "a?recurse".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("../x", "../x".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of(
            "traversal under the domain", "x/../y.review.test".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of(
            "overlong",
            ("a".repeat(63) + ".")
                .repeat(4)
                .concat("review.test")
                .getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("unicode", "dépl.review.test".getBytes(StandardCharsets.UTF_8)),
        Arguments.of("empty", new byte[0]),
        Arguments.of("IPv4 literal", "127.0.0.1".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("IPv6 literal", "[::1]:80".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("other domain", "deploy-a.example.org".getBytes(StandardCharsets.US_ASCII)),
        Arguments.of("the domain itself", "review.test".getBytes(StandardCharsets.US_ASCII)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("badHosts")
  void badHostHeadersGet400(String what, byte[] hostHeader) throws Exception {
    assertThat(router.rawStatus(hostHeader)).isEqualTo(400);
  }

  @Test
  void routerStatusAndMetricsDescribeTheTable() throws Exception {
    String host = host("deploy-counted");
    routeAndAwait(host, one.address());
    router.get(host);

    var status = router.status();
    assertThat(status.get("routes").asInt()).isPositive();
    assertThat(status.get("last_index").asLong()).isPositive();
    assertThat(status.get("last_sync_age_seconds").asDouble()).isBetween(0.0, 25.0);
    assertThat(status.get("source").asText()).isEqualTo("consul");

    router.get(host("deploy-never-pushed"));
    router.rawStatus("deploy-a.example.org".getBytes(StandardCharsets.US_ASCII));
    // A route whose only peer listens nowhere: nginx's own 502, counted for the app.
    String dead = host("deploy-dead-peer");
    int closed;
    try (var socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    consul.putRoute(dead, "127.0.0.1:" + closed);
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(dead).statusCode() == 502);
    // Each worker hands its request counts to the shared dict once a second, on its own clock:
    // wait for all of them. A request handed to the app counts as proxied (what the app answered
    // is the app's to count).
    List<java.util.regex.Pattern> counted =
        Stream.of(
                "router_requests_total\\{app=\"deploy-counted\",status=\"proxied\"\\} [2-9]",
                "router_upstream_failures_total\\{app=\"deploy-dead-peer\",status=\"502\"\\} [1-9]",
                "router_requests_total\\{app=\"deploy-dead-peer\",status=\"proxied\"\\} [1-9]")
            .map(java.util.regex.Pattern::compile)
            .toList();
    await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () -> {
              String m = router.metrics();
              return counted.stream().allMatch(p -> p.matcher(m).find());
            });
    String metrics = router.metrics();
    assertThat(metrics)
        .containsPattern("router_requests_total\\{app=\"_unknown\",status=\"404\"\\} [1-9]")
        .containsPattern("router_requests_total\\{app=\"_invalid\",status=\"400\"\\} [1-9]")
        .contains("router_sync_errors_total")
        .containsPattern("router_routes [1-9]");

    // Prometheus' own linter (Debian's prometheus package) accepts the exposition.
    Process promtool =
        new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
    try (var stdin = promtool.getOutputStream()) {
      stdin.write(metrics.getBytes(StandardCharsets.UTF_8));
    }
    String verdict = new String(promtool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(promtool.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(promtool.exitValue()).as(verdict).isZero();
  }
}
