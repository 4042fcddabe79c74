package dev.reviewapps.devstack.nomad.check;

import dev.reviewapps.devstack.nomad.job.GroupSpec;
import dev.reviewapps.devstack.nomad.job.ServiceSpec;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Runs the HTTP checks of one allocation's services. A 2xx answer is {@code success}; anything
 * else, a timeout or a refused connection is {@code failure}. Checks of other types are reported
 * {@code pending} once and never run: the stand-in only knows HTTP.
 */
public final class HttpChecks implements AutoCloseable {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder()
          .connectTimeout(Duration.ofSeconds(2))
          .followRedirects(HttpClient.Redirect.NEVER)
          .build();

  private final List<ScheduledFuture<?>> schedules = new ArrayList<>();
  private volatile boolean closed;

  private HttpChecks() {}

  /** The checks a group declares, with IDs as stable as Nomad's (alloc, group, service, check). */
  public static List<Planned> plan(String allocId, GroupSpec group) {
    List<ServiceSpec> services = new ArrayList<>(group.services());
    group.tasks().forEach(t -> services.addAll(t.services()));
    List<Planned> planned = new ArrayList<>();
    for (ServiceSpec service : services) {
      for (ServiceSpec.CheckSpec check : service.checks()) {
        String id =
            Integer.toHexString(
                (allocId + "/" + group.name() + "/" + service.name() + "/" + check.name())
                    .hashCode());
        planned.add(new Planned(id, service, check));
      }
    }
    return planned;
  }

  /**
   * One check to run.
   *
   * @param id its ID
   * @param service the service it belongs to
   * @param check the check
   */
  public record Planned(String id, ServiceSpec service, ServiceSpec.CheckSpec check) {
    /** The result before the first run. */
    public CheckResult pending() {
      return new CheckResult(
          id,
          check.name(),
          service.name(),
          service.task().orElse(""),
          "pending",
          0,
          "",
          System.currentTimeMillis() / 1000);
    }
  }

  /**
   * Starts running the planned checks against {@code address} and the allocation's ports.
   *
   * @param report receives each result; called from the timer's thread
   */
  public static HttpChecks start(
      List<Planned> planned,
      String address,
      Map<String, Integer> ports,
      ScheduledExecutorService timer,
      Consumer<CheckResult> report) {
    HttpChecks checks = new HttpChecks();
    for (Planned p : planned) {
      if (!p.check().type().equals("http")) {
        continue;
      }
      Optional<Integer> port = Optional.ofNullable(ports.get(p.check().portLabel()));
      long interval = Math.max(100, p.check().interval().toMillis());
      checks.schedules.add(
          timer.scheduleWithFixedDelay(
              () -> {
                if (!checks.closed) {
                  report.accept(probe(p, address, port));
                }
              },
              0,
              interval,
              TimeUnit.MILLISECONDS));
    }
    return checks;
  }

  private static CheckResult probe(Planned p, String address, Optional<Integer> port) {
    long now = System.currentTimeMillis() / 1000;
    if (port.isEmpty()) {
      return result(p, "failure", 0, "no port labelled \"" + p.check().portLabel() + "\"", now);
    }
    String path = p.check().path().startsWith("/") ? p.check().path() : "/" + p.check().path();
    URI uri = URI.create("http://" + address + ":" + port.get() + path);
    try {
      HttpResponse<String> response =
          CLIENT.send(
              HttpRequest.newBuilder(uri)
                  .timeout(p.check().timeout())
                  .method(p.check().method(), HttpRequest.BodyPublishers.noBody())
                  .header("User-Agent", "Nomad/devstack")
                  .build(),
              HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
      int code = response.statusCode();
      String body = response.body();
      String output =
          "HTTP "
              + p.check().method()
              + " "
              + uri
              + ": "
              + code
              + " Output: "
              + (body.length() > 200 ? body.substring(0, 200) : body);
      return result(p, code >= 200 && code < 300 ? "success" : "failure", code, output, now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return result(p, "failure", 0, "interrupted", now);
    } catch (Exception e) {
      return result(p, "failure", 0, "HTTP " + p.check().method() + " " + uri + ": " + e, now);
    }
  }

  private static CheckResult result(Planned p, String status, int code, String output, long now) {
    return new CheckResult(
        p.id(),
        p.check().name(),
        p.service().name(),
        p.service().task().orElse(""),
        status,
        code,
        output,
        now);
  }

  @Override
  public void close() {
    closed = true;
    schedules.forEach(s -> s.cancel(false));
  }
}
