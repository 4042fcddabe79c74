package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sleep on idle as the router does it, with the test playing the controller: it writes the phase
 * {@code Sleeping}, waits for the router's wake request, and then writes the route back as the
 * controller does once the app is healthy.
 */
class SleepWakeTest {
  private static final String WAKE = "review-apps/wake/";
  private static final String ACTIVITY = "review-apps/activity/";
  private static final Map<String, String> BROWSER =
      Map.of("Accept", "text/html,application/xhtml+xml,*/*;q=0.8");

  @TempDir static Path dir;
  static Consul consul;
  static NginxRouter router;
  static Backend app;

  @BeforeAll
  static void start() throws Exception {
    consul = Consul.start(dir.resolve("consul"));
    router =
        NginxRouter.start(
            dir.resolve("nginx"),
            consul.port(),
            Map.of("activity_report_seconds", 1, "wake_timeout_seconds", 4));
    app = Backend.start("awake");
  }

  @AfterAll
  static void stop() {
    if (router != null) {
      router.close();
    }
    if (app != null) {
      app.close();
    }
    if (consul != null) {
      consul.close();
    }
  }

  private static String host(String name) {
    return name + "." + NginxRouter.DOMAIN;
  }

  /**
   * Puts {@code name} to sleep as the controller does (phase key, no route) and waits until the
   * router's table has it: a probe app's phase written after it is seen, which the router's watch
   * only shows together with everything written before.
   */
  private static void asleep(String name) throws Exception {
    consul.delete(Consul.ROUTES + host(name));
    consul.put(Consul.STATUS + name, "Sleeping");
    String probe = name + "-probe";
    consul.put(Consul.STATUS + probe, "Deploying");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () ->
                router
                    .get(host(probe))
                    .headers()
                    .firstValue("X-Review-App-Phase")
                    .equals(java.util.Optional.of("Deploying")));
  }

  /** What the controller does once the woken app is healthy. */
  private static void awake(String name) throws Exception {
    consul.delete(WAKE + name);
    consul.putRoute(host(name), app.address());
    consul.put(Consul.STATUS + name, "Ready");
  }

  @Test
  void twentyConcurrentRequestsWakeTheAppOnceAndEveryOneIsAnsweredByIt() throws Exception {
    String name = "deploy-crowd";
    asleep(name);
    double wakesBefore = metric("router_wake_requests_total");
    ExecutorService clients = Executors.newFixedThreadPool(20);
    try {
      List<Future<HttpResponse<String>>> answers = new ArrayList<>();
      for (int i = 0; i < 20; i++) {
        answers.add(clients.submit(() -> router.get(host(name))));
      }
      await().atMost(Duration.ofSeconds(3)).until(() -> consul.entry(WAKE + name).isPresent());
      var wake = consul.entry(WAKE + name).orElseThrow();
      // Written once, not once per request or per worker.
      assertThat(wake.path("ModifyIndex").asLong()).isEqualTo(wake.path("CreateIndex").asLong());
      assertThat(Double.parseDouble(consul.value(WAKE + name).orElseThrow()))
          .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30.0));
      assertThat(answers).noneMatch(Future::isDone);
      awake(name);
      for (Future<HttpResponse<String>> answer : answers) {
        HttpResponse<String> response = answer.get(10, TimeUnit.SECONDS);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.body()).isEqualTo("awake");
      }
    } finally {
      clients.shutdownNow();
    }
    assertThat(metric("router_wake_requests_total") - wakesBefore).isEqualTo(1.0);
    assertThat(metric("router_wake_held_requests_total")).isGreaterThanOrEqualTo(20.0);
  }

  @Test
  void aBrowserGetsTheWaitingPageAtOnceAndThenTheApp() throws Exception {
    String name = "deploy-browser";
    asleep(name);
    long before = System.nanoTime();
    HttpResponse<String> waiting = router.send(host(name), "/", BROWSER);
    assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(2));
    assertThat(waiting.statusCode()).isEqualTo(503);
    assertThat(waiting.headers().firstValue("Retry-After")).contains("1");
    assertThat(waiting.headers().firstValue("X-Review-App-Phase")).contains("Sleeping");
    assertThat(waiting.body())
        .contains("Waking up " + name)
        .contains("<meta http-equiv=\"refresh\" content=\"1\">");
    await().atMost(Duration.ofSeconds(3)).until(() -> consul.entry(WAKE + name).isPresent());
    // The waiting page is the app's request like any other (and so its activity).
    await()
        .atMost(Duration.ofSeconds(3))
        .until(
            () ->
                router
                    .metrics()
                    .contains("router_requests_total{app=\"" + name + "\",status=\"503\"}"));
    // The controller says it is starting: the page says so too.
    consul.put(Consul.STATUS + name, "Waking");
    await()
        .atMost(Duration.ofSeconds(5))
        .until(
            () -> router.send(host(name), "/", BROWSER).body().contains("starting its processes"));
    awake(name);
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> router.send(host(name), "/", BROWSER).statusCode() == 200);
  }

  @Test
  void aHeldRequestIsAnswered503WhenTheAppDoesNotWakeInTime() throws Exception {
    String name = "deploy-never-wakes";
    asleep(name);
    HttpResponse<String> response = router.get(host(name));
    assertThat(response.statusCode()).isEqualTo(503);
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(metric("router_wake_timeouts_total")).isGreaterThanOrEqualTo(1.0);
  }

  @Test
  void everyRequestCountsAsActivityReportedInBatchesNotPerRequest() throws Exception {
    String name = "deploy-busy";
    consul.putRoute(host(name), app.address());
    await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host(name)).statusCode() == 200);
    double reportsBefore = metric("router_activity_reports_total");
    for (int i = 0; i < 200; i++) {
      assertThat(router.get(host(name)).statusCode()).isEqualTo(200);
    }
    await().atMost(Duration.ofSeconds(5)).until(() -> consul.value(ACTIVITY + name).isPresent());
    long reported = Long.parseLong(consul.value(ACTIVITY + name).orElseThrow());
    assertThat(reported)
        .isCloseTo(Instant.now().getEpochSecond(), org.assertj.core.data.Offset.offset(30L));
    // One write per second at most (activity_report_seconds = 1), whatever the request rate.
    assertThat(metric("router_activity_reports_total") - reportsBefore).isLessThan(20.0);
    // Requests for hosts that are no app are nobody's activity.
    router.get(host("deploy-nobody-here"));
    await()
        .during(Duration.ofMillis(2500))
        .atMost(Duration.ofSeconds(4))
        .until(() -> consul.value(ACTIVITY + "deploy-nobody-here").isEmpty());
  }

  @Test
  void aRestartedRouterStillWakesASleepingApp() throws Exception {
    String name = "deploy-restart";
    asleep(name);
    router.stop();
    router.launch();
    HttpResponse<String> waiting = router.send(host(name), "/", BROWSER);
    assertThat(waiting.statusCode()).isEqualTo(503);
    assertThat(waiting.body()).contains("Waking up " + name);
    await().atMost(Duration.ofSeconds(3)).until(() -> consul.entry(WAKE + name).isPresent());
  }

  private static double metric(String name) throws Exception {
    return router
        .metrics()
        .lines()
        .filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1)))
        .sum();
  }
}
