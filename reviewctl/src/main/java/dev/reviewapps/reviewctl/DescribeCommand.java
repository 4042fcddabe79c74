package dev.reviewapps.reviewctl;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.TaskEvent;
import com.hashicorp.nomad.apimodel.TaskState;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.client.view.Ages;
import dev.reviewapps.client.view.AppView;
import dev.reviewapps.client.view.NomadTasks;
import dev.reviewapps.client.view.SpecText;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.status.Rollout;
import dev.reviewapps.model.validation.Violation;
import dev.reviewapps.tls.TlsFailure;
import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code describe NAME}: spec summary, status with conditions, inventory, and recent events: the
 * condition transitions and the task events of the newest Nomad allocation of each task group,
 * merged by time. Nomad is asked last and only for events; when it cannot be reached the rest is
 * still shown, with a warning.
 */
@Command(
    name = "describe",
    description = "Show one app: spec, conditions, inventory, expiry and recent events.")
final class DescribeCommand extends AppCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "The app.")
  String name;

  @Option(
      names = "--events",
      paramLabel = "N",
      defaultValue = "20",
      description = "How many recent events to show (default 20).")
  int eventCount;

  /** One line of the events section. */
  record Event(Instant at, String source, String text) {}

  @Override
  public Integer call() {
    AppView app = apps().existing(name, "describe");
    Instant now = terminal().clock().instant();
    PrintStream out = out();
    out.println("Name:        " + name);
    out.println("Phase:       " + app.phase());
    Optional<ReviewAppStatus> status = app.parsedStatus();
    out.println("URL:         " + status.flatMap(ReviewAppStatus::url).orElse("-"));
    status
        .flatMap(ReviewAppStatus::cost)
        .ifPresent(
            c ->
                out.println(
                    String.format(
                        java.util.Locale.ROOT,
                        "Cost:        $%.4f per hour, $%.2f to date",
                        c.dollarsPerHour(),
                        c.dollarsToDate())));
    out.println(
        "Last request: "
            + app.lastRequest()
                .map(t -> t + " (" + Ages.of(Duration.between(t, now)) + " ago)")
                .orElse("none reported by the router"));
    spec(out, app);
    status(out, app, status, now);
    Optional<Inventory> inventory = app.parsedInventory();
    inventory(out, app, inventory);
    List<Event> events = new ArrayList<>();
    status.ifPresent(
        s ->
            s.conditions()
                .forEach(
                    c ->
                        events.add(
                            new Event(
                                c.lastTransitionTime(),
                                "condition",
                                c.type() + "=" + c.status() + " " + c.reason()))));
    events.addAll(nomadEvents(inventory));
    events.sort(Comparator.comparing(Event::at));
    out.println("Events:");
    if (events.isEmpty()) {
      out.println("  none");
    } else {
      List<String[]> rows = new ArrayList<>();
      rows.add(new String[] {"  TIME", "SOURCE", "EVENT"});
      events
          .subList(Math.max(0, events.size() - eventCount), events.size())
          // Nomad's nanoseconds sort the events; seconds are enough to read them.
          .forEach(
              e ->
                  rows.add(
                      new String[] {
                        "  " + e.at().truncatedTo(ChronoUnit.SECONDS), e.source(), e.text()
                      }));
      Table.print(out, rows);
    }
    return ExitCode.OK;
  }

  private void spec(PrintStream out, AppView app) {
    if (app.spec().isEmpty()) {
      out.println("Spec:        none (deleted; the controller tears the app down)");
      return;
    }
    KvEntry entry = app.spec().get();
    List<Violation> violations = ReviewAppJson.parse(entry.value()).violations();
    if (!violations.isEmpty()) {
      out.println("Spec:        index " + entry.modifyIndex() + ", INVALID:");
      violations.forEach(v -> out.println("  " + v.path() + ": " + v.message()));
      return;
    }
    ReviewApp parsed = app.parsedSpec().orElseThrow();
    ReviewAppSpec s = parsed.spec();
    out.println("Spec:        index " + entry.modifyIndex());
    out.println("  Branch:    " + s.branch());
    out.println("  Commit:    " + s.commit());
    out.println("  Image:     " + s.image());
    out.println("  Database:  " + SpecText.database(s.database()));
    out.println("  Redis:     " + s.redis().map(r -> r.image()).orElse("none"));
    out.println("  Web:       " + SpecText.process(s.processes().web()));
    s.processes().worker().ifPresent(w -> out.println("  Worker:    " + SpecText.process(w)));
    out.println(
        "  TTL:       "
            + s.ttl().map(Object::toString).orElse("none (lives until its branch is deleted)"));
    out.println(
        "  Sleeps:    "
            + s.sleepAfter()
                .map(a -> a.duration().isPresent() ? "after " + a + " without a request" : "never")
                .orElse("after the controller's default (reviewapp.sleep.defaultAfter)"));
  }

  private void status(PrintStream out, AppView app, Optional<ReviewAppStatus> status, Instant now) {
    if (app.status().isEmpty()) {
      out.println("Status:      none yet");
      return;
    }
    if (status.isEmpty()) {
      out.println("Status:      unreadable:");
      ReviewAppJson.parseStatus(app.status().get().value())
          .violations()
          .forEach(v -> out.println("  " + v));
      return;
    }
    ReviewAppStatus s = status.get();
    long specIndex = app.spec().map(KvEntry::modifyIndex).orElse(0L);
    out.println(
        "Observed:    spec index "
            + s.observedIndex()
            + (app.spec().isPresent() && s.observedIndex() < specIndex
                ? " (behind: the spec is at " + specIndex + ")"
                : ""));
    s.message().ifPresent(m -> out.println("Message:     " + m));
    s.lastError().ifPresent(e -> out.println("Last error:  " + e));
    out.println(
        "Expires:     "
            + s.expiresAt()
                .map(t -> t + " (" + relative(Duration.between(now, t)) + ")")
                .orElse("never"));
    out.println("Conditions:");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"  TYPE", "STATUS", "REASON", "SINCE", "MESSAGE"});
    for (Condition c : s.conditions()) {
      rows.add(
          new String[] {
            "  " + c.type(),
            c.status().name(),
            c.reason(),
            c.lastTransitionTime()
                + " ("
                + Ages.of(Duration.between(c.lastTransitionTime(), now))
                + " ago)",
            c.message()
          });
    }
    Table.print(out, rows);
    if (!s.timings().isEmpty()) {
      // Where the seconds of the last rollout went, step by step (first run to ready).
      out.println("Timings (last rollout):");
      List<String[]> steps = new ArrayList<>();
      s.timings()
          .forEach(
              (step, took) ->
                  steps.add(
                      new String[] {
                        "  " + step, String.format("%.1fs", took.toMillis() / 1000.0)
                      }));
      Table.print(out, steps);
    }
    if (!s.rollouts().isEmpty()) {
      out.println("Rollouts:");
      List<String[]> history = new ArrayList<>();
      history.add(new String[] {"  COMMIT", "STARTED", "OUTCOME", "TOOK", "MESSAGE"});
      for (Rollout r : s.rollouts()) {
        history.add(
            new String[] {
              "  " + r.commit(),
              r.startedAt().truncatedTo(ChronoUnit.SECONDS).toString(),
              r.outcome().name(),
              r.finishedAt()
                  .map(
                      end ->
                          String.format(
                              "%.1fs", Duration.between(r.startedAt(), end).toMillis() / 1000.0))
                  .orElse("-"),
              r.message()
            });
      }
      Table.print(out, history);
    }
  }

  private static String relative(Duration untilThen) {
    return untilThen.isNegative()
        ? Ages.of(untilThen.negated()) + " ago"
        : "in " + Ages.of(untilThen);
  }

  private void inventory(PrintStream out, AppView app, Optional<Inventory> inventory) {
    if (app.inventory().isEmpty()) {
      out.println("Inventory:   none");
      return;
    }
    if (inventory.isEmpty()) {
      out.println("Inventory:   unreadable");
      return;
    }
    Inventory i = inventory.get();
    out.println("Inventory:");
    List<String[]> rows = new ArrayList<>();
    rows.add(new String[] {"  KIND", "ID"});
    i.resources().forEach(r -> rows.add(new String[] {"  " + r.kind(), r.id()}));
    Table.print(out, rows);
    i.databaseName()
        .ifPresent(
            db ->
                out.println(
                    "  database " + db + i.databaseEndpoint().map(e -> " at " + e).orElse("")));
    out.println(
        "  release: migrated "
            + i.migratedRelease().orElse("-")
            + ", seeded "
            + (i.seeded() ? "yes" : "no"));
  }

  /**
   * The task events of the newest allocation of each task group of the app's jobs: those in its
   * inventory, or the service and seed job when there is none yet.
   */
  private List<Event> nomadEvents(Optional<Inventory> inventory) {
    List<String> jobs =
        inventory
            .map(i -> i.resources(Resource.NomadJob.class).stream().map(Resource::id).toList())
            .filter(l -> !l.isEmpty())
            .orElse(List.of(ResourceNames.of(name).serviceJob()));
    List<Event> events = new ArrayList<>();
    try {
      NomadTasks tasks = new NomadTasks(root().clients().nomad());
      for (String job : jobs) {
        Map<String, AllocationListStub> newest = new HashMap<>();
        tasks.allocationsOf(job).stream()
            .sorted(NomadTasks.NEWEST_FIRST)
            .forEach(a -> newest.putIfAbsent(a.getTaskGroup(), a));
        for (AllocationListStub a : newest.values()) {
          Map<String, TaskState> states = a.getTaskStates() == null ? Map.of() : a.getTaskStates();
          states.forEach(
              (task, state) -> {
                if (state.getEvents() != null) {
                  for (TaskEvent e : state.getEvents()) {
                    events.add(
                        new Event(
                            Instant.EPOCH.plusNanos(e.getTime()),
                            "nomad " + job + "/" + task,
                            e.getType() + text(e)));
                  }
                }
              });
        }
      }
    } catch (Exception e) {
      // Events are the least of describe: say Nomad could not be asked and show the rest.
      terminal()
          .err()
          .println(
              "reviewctl: warning: describe "
                  + name
                  + ": no Nomad events (Nomad at "
                  + root().settings().nomad()
                  + ": "
                  + TlsFailure.explain(e, "NOMAD").orElse(e.getClass().getSimpleName())
                  + ")");
    }
    return events;
  }

  private static String text(TaskEvent e) {
    String message =
        e.getDisplayMessage() == null || e.getDisplayMessage().isBlank()
            ? e.getMessage()
            : e.getDisplayMessage();
    return message == null || message.isBlank() ? "" : ": " + message;
  }
}
