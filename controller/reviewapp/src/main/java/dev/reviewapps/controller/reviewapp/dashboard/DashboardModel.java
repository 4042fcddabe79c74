package dev.reviewapps.controller.reviewapp.dashboard;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.StreamFrame;
import com.hashicorp.nomad.javasdk.FramedStream;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadException;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.view.Ages;
import dev.reviewapps.client.view.AppView;
import dev.reviewapps.client.view.AppViews;
import dev.reviewapps.client.view.NomadTasks;
import dev.reviewapps.client.view.SpecText;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.status.Rollout;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.http.HttpHost;

/**
 * What the dashboard shows, read afresh on every request: Consul's keys of each app through {@link
 * AppViews}, and for one app's page its Nomad allocations and log tails. Read-only: nothing here
 * writes anywhere.
 */
public final class DashboardModel {
  /** Allocations listed on an app's page, newest first. */
  static final int MAX_ALLOCATIONS = 12;

  private final AppViews views;
  private final NomadApiClient nomad;
  private final HttpHost nomadHost;
  private final Clock clock;

  /** Where each log ended at its last read, by allocation, task and stream. */
  private final Map<String, Long> logEnds = new ConcurrentHashMap<>();

  private static final int MAX_LOGS_REMEMBERED = 10_000;

  public DashboardModel(AppViews views, NomadApiClient nomad, HttpHost nomadHost, Clock clock) {
    this.views = views;
    this.nomad = nomad;
    this.nomadHost = nomadHost;
    this.clock = clock;
  }

  /** The phases the filter offers: every status phase, then those only the list shows. */
  public static List<String> phases() {
    return Stream.concat(
            Stream.of(Phase.values()).map(Phase::name), Stream.of("Deleting", "Unknown"))
        .toList();
  }

  /** Every app the text and the phase (empty: any) let through, by name. */
  public List<AppRow> rows(String query, String phase) {
    Instant now = clock.instant();
    return views.all().stream()
        .map(v -> row(v, now))
        .filter(r -> phase.isEmpty() || r.phase().equals(phase))
        .filter(r -> r.matches(query))
        .toList();
  }

  /** One app's page, or nothing when Consul holds nothing about {@code name}. */
  public Optional<AppPage> page(String name) {
    AppView view = views.one(name);
    if (!view.exists()) {
      return Optional.empty();
    }
    Instant now = clock.instant();
    Optional<ReviewAppStatus> status = view.parsedStatus();
    List<AppPage.AllocationRow> allocations = new ArrayList<>();
    List<LogTail> logs = new ArrayList<>();
    Optional<String> nomadProblem = Optional.empty();
    try {
      NomadTasks tasks = new NomadTasks(nomad);
      List<AllocationListStub> all = new ArrayList<>();
      for (NomadTasks.Role role : NomadTasks.Role.values()) {
        all.addAll(tasks.allocations(name, role));
      }
      all.sort(NomadTasks.NEWEST_FIRST);
      all.stream().limit(MAX_ALLOCATIONS).forEach(a -> allocations.add(allocation(a, now)));
      for (NomadTasks.Role role : List.of(NomadTasks.Role.web, NomadTasks.Role.worker)) {
        Optional<AllocationListStub> newest = tasks.allocations(name, role).stream().findFirst();
        if (newest.isPresent()) {
          logs.add(log(newest.get(), role, "stdout"));
          logs.add(log(newest.get(), role, "stderr"));
        }
      }
    } catch (IOException | NomadException | RuntimeException e) {
      // The page still shows what Consul holds; the reason names the system, never a secret.
      nomadProblem =
          Optional.of(
              "Nomad at " + nomadHost.toURI() + " did not answer: " + e.getClass().getSimpleName());
    }
    return Optional.of(
        new AppPage(
            row(view, now),
            details(view, status),
            status.map(ReviewAppStatus::conditions).orElse(List.of()),
            status
                .map(s -> s.rollouts().stream().map(DashboardModel::rollout).toList())
                .orElse(List.of()),
            allocations,
            logs,
            nomadProblem,
            List.of(
                "reviewctl describe " + name,
                "reviewctl logs " + name + " web",
                "reviewctl sleep " + name,
                "reviewctl wake " + name,
                "reviewctl delete " + name)));
  }

  /**
   * The tail of one log. The first read of a log goes through all of it (Nomad streams a log from
   * an offset counted from its start, and nomad-sdk offers no other origin); later reads start
   * {@link LogTail#MAX_BYTES} before where the last one ended, so a page refreshed every two
   * seconds costs the new lines, not the whole log each time.
   */
  private LogTail log(AllocationListStub alloc, NomadTasks.Role role, String stream)
      throws IOException, NomadException {
    String title = role + " " + shortId(alloc.getId()) + " " + stream;
    String key = alloc.getId() + "/" + role + "/" + stream;
    long from = Math.max(0, logEnds.getOrDefault(key, 0L) - LogTail.MAX_BYTES);
    try (FramedStream frames =
        nomad
            .getClientApi(nomadHost)
            .logsAsFrames(alloc.getId(), role.name(), false, stream, from)) {
      LogTail.Collector collector = new LogTail.Collector();
      while (frames.hasNextFrame()) {
        StreamFrame frame = frames.nextFrame();
        if (frame != null && frame.getData() != null) {
          collector.add(frame.getData(), frame.getData().length);
        }
      }
      if (logEnds.size() > MAX_LOGS_REMEMBERED) {
        logEnds.clear();
      }
      logEnds.put(key, from + collector.total());
      return new LogTail(title, collector.text(from > 0));
    } catch (NomadException e) {
      // Next time from the start: the remembered end may be past a log that began again.
      logEnds.remove(key);
      // A task that has not started has no log yet: say so on its tail, keep the others.
      return new LogTail(title, "(no log: " + e.getClass().getSimpleName() + ")");
    }
  }

  private static AppRow row(AppView view, Instant now) {
    Optional<ReviewAppStatus> status = view.parsedStatus();
    Optional<ReviewApp> spec = view.parsedSpec();
    String phase = view.phase();
    return new AppRow(
        view.name(),
        phase,
        status.flatMap(ReviewAppStatus::url).filter(DashboardModel::httpUrl),
        spec.map(a -> a.spec().branch()).orElse("-"),
        view.commit().map(c -> c.substring(0, Math.min(8, c.length()))).orElse("-"),
        view.since().map(t -> Ages.of(Duration.between(t, now))).orElse("-"),
        status
            .flatMap(ReviewAppStatus::expiresAt)
            .map(t -> t.isAfter(now) ? Ages.of(Duration.between(now, t)) : "expired")
            .orElse("never"),
        switch (phase) {
          case "Sleeping" -> "asleep";
          case "Waking" -> "waking";
          default -> "awake";
        },
        view.lastRequest().map(t -> Ages.of(Duration.between(t, now)) + " ago").orElse("-"),
        status
            .flatMap(ReviewAppStatus::cost)
            .map(c -> String.format(Locale.ROOT, "$%.4f", c.dollarsPerHour()))
            .orElse("-"),
        status
            .flatMap(ReviewAppStatus::cost)
            .map(c -> String.format(Locale.ROOT, "$%.2f", c.dollarsToDate()))
            .orElse("-"),
        spec.map(a -> a.metadata().labels()).orElse(Map.of()));
  }

  static List<AppPage.Detail> details(AppView view, Optional<ReviewAppStatus> status) {
    List<AppPage.Detail> details = new ArrayList<>();
    Optional<ReviewAppSpec> spec = view.parsedSpec().map(ReviewApp::spec);
    if (view.spec().isEmpty()) {
      details.add(new AppPage.Detail("Spec", "deleted: the controller tears the app down"));
    } else if (spec.isEmpty()) {
      details.add(new AppPage.Detail("Spec", "invalid (see the Valid condition)"));
    } else if (view.rejected()) {
      details.add(
          new AppPage.Detail(
              "Spec",
              "rejected (see the Valid condition): still running commit "
                  + view.commit().orElse("unknown")
                  + "; below, the spec as written"));
    }
    spec.ifPresent(
        s -> {
          details.add(new AppPage.Detail("Commit", s.commit()));
          details.add(new AppPage.Detail("Image", s.image()));
          details.add(new AppPage.Detail("Database", SpecText.database(s.database())));
          details.add(new AppPage.Detail("Redis", s.redis().map(r -> r.image()).orElse("none")));
          details.add(new AppPage.Detail("Web", SpecText.process(s.processes().web())));
          s.processes()
              .worker()
              .ifPresent(w -> details.add(new AppPage.Detail("Worker", SpecText.process(w))));
          details.add(
              new AppPage.Detail(
                  "Sleeps after",
                  s.sleepAfter().map(Object::toString).orElse("the controller's default")));
        });
    view.parsedInventory()
        .filter(i -> i.databaseName().isPresent())
        .ifPresent(
            i ->
                details.add(
                    new AppPage.Detail(
                        "Database in use",
                        i.databaseName().get() + " at " + i.databaseEndpoint().orElse("?"))));
    status.ifPresent(
        s -> {
          s.expiresAt().ifPresent(t -> details.add(new AppPage.Detail("Expires", t.toString())));
          s.lastError().ifPresent(e -> details.add(new AppPage.Detail("Last error", e)));
          s.message().ifPresent(m -> details.add(new AppPage.Detail("Message", m)));
        });
    view.spec()
        .map(KvEntry::modifyIndex)
        .ifPresent(i -> details.add(new AppPage.Detail("Spec index", Long.toString(i))));
    view.parsedInventory()
        .map(Inventory::sleep)
        .filter(sleep -> sleep.asleep())
        .ifPresent(sleep -> details.add(new AppPage.Detail("Asleep", "yes")));
    return details;
  }

  private static AppPage.RolloutRow rollout(Rollout r) {
    return new AppPage.RolloutRow(
        r.commit().substring(0, Math.min(8, r.commit().length())),
        r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
        r.outcome().name(),
        r.finishedAt().map(end -> seconds(Duration.between(r.startedAt(), end))).orElse("-"),
        r.timings().entrySet().stream()
            .map(e -> e.getKey() + " " + seconds(e.getValue()))
            .collect(Collectors.joining(", ")),
        r.message());
  }

  private static AppPage.AllocationRow allocation(AllocationListStub a, Instant now) {
    Boolean healthy = a.getDeploymentStatus() == null ? null : a.getDeploymentStatus().getHealthy();
    Instant created = Instant.EPOCH.plusNanos(a.getCreateTime());
    return new AppPage.AllocationRow(
        shortId(a.getId()),
        a.getJobId(),
        a.getTaskGroup(),
        a.getClientStatus(),
        a.getDesiredStatus(),
        healthy == null ? "-" : healthy ? "healthy" : "unhealthy",
        Ages.of(Duration.between(created, now)));
  }

  private static String seconds(Duration d) {
    return String.format(Locale.ROOT, "%.1fs", d.toMillis() / 1000.0);
  }

  private static String shortId(String id) {
    return id == null ? "-" : id.substring(0, Math.min(8, id.length()));
  }

  private static boolean httpUrl(String url) {
    return url.startsWith("http://") || url.startsWith("https://");
  }
}
