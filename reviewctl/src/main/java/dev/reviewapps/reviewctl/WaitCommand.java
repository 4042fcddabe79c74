package dev.reviewapps.reviewctl;

import java.io.PrintStream;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code wait NAME --for Ready|Deleted --timeout 10m}: the exit code is the answer, for CI. */
@Command(
    name = "wait",
    description = {
      "Wait until an app is Ready (for its current spec) or Deleted (spec, status and inventory"
          + " gone).",
      "Exit codes: 0 reached; 1 the app is Failed (lastError printed), the spec was rejected (the"
          + " app keeps running its last valid spec; why printed) or an error; 2 timed out."
    })
final class WaitCommand extends AppCommand implements Callable<Integer> {

  enum Goal {
    Ready,
    Deleted
  }

  @Parameters(paramLabel = "NAME", description = "The app.")
  String name;

  @Option(
      names = "--for",
      paramLabel = "STATE",
      defaultValue = "Ready",
      description = "Ready (default) or Deleted.")
  Goal goal;

  @Mixin Timeout timeout;

  @Override
  public Integer call() {
    StatusWait wait = new StatusWait(store(), layout(), terminal().clock());
    StatusWait.Outcome outcome =
        goal == Goal.Ready ? wait.ready(name, timeout.value) : wait.deleted(name, timeout.value);
    return report(out(), name, goal.name(), timeout.value, outcome);
  }

  /** Prints the outcome and returns its exit code; shared with {@code delete --wait}. */
  static int report(
      PrintStream out, String app, String goalName, Duration limit, StatusWait.Outcome outcome) {
    if (outcome instanceof StatusWait.Outcome.Reached r) {
      out.println(
          "reviewapp/"
              + app
              + " "
              + goalName
              + r.status().flatMap(s -> s.url()).map(u -> " " + u).orElse(""));
      return ExitCode.OK;
    }
    if (outcome instanceof StatusWait.Outcome.Failed f) {
      throw new CliError("wait " + app + ": Failed: " + f.why(), ExitCode.ERROR);
    }
    if (outcome instanceof StatusWait.Outcome.Rejected r) {
      throw new CliError("wait " + app + ": spec rejected: " + r.why(), ExitCode.ERROR);
    }
    StatusWait.Outcome.TimedOut t = (StatusWait.Outcome.TimedOut) outcome;
    throw new CliError(
        "wait "
            + app
            + ": timed out after "
            + limit.toString().substring(2).toLowerCase(java.util.Locale.ROOT)
            + " waiting for "
            + goalName
            + "; "
            + t.lastSeen(),
        ExitCode.TIMEOUT);
  }
}
