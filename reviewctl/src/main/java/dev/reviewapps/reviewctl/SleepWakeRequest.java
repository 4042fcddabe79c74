package dev.reviewapps.reviewctl;

import dev.reviewapps.client.UnixSeconds;
import dev.reviewapps.model.status.Phase;
import java.util.concurrent.Callable;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code sleep NAME} and {@code wake NAME}: writes the request key the controller watches ({@code
 * sleep/<name>} or {@code wake/<name>}, holding the time asked) and, with {@code --wait}, waits for
 * the phase the request leads to. The controller deletes the key once it has acted on it.
 */
abstract class SleepWakeRequest extends AppCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "The app.")
  String name;

  @Option(names = "--wait", description = "Wait until the app has reached the phase asked for.")
  boolean waitForPhase;

  @Mixin Timeout timeout;

  /** What is asked, e.g. {@code sleep}. */
  abstract String verb();

  /** The key the request is written to. */
  abstract String key();

  /** The phase the request leads to. */
  abstract Phase goal();

  @Override
  public Integer call() {
    // Only the spec is read: CI's token may read specs and status, not inventories.
    if (store().get(layout().spec(name)).isEmpty()) {
      throw new CliError(verb() + " " + name + ": no review app named " + name);
    }
    store().put(key(), UnixSeconds.format(terminal().clock().instant()));
    out().println("reviewapp/" + name + " " + verb() + " requested");
    if (!waitForPhase) {
      return ExitCode.OK;
    }
    StatusWait.Outcome outcome =
        new StatusWait(store(), layout(), terminal().clock()).phase(name, goal(), timeout.value);
    return WaitCommand.report(out(), name, goal().name(), timeout.value, outcome);
  }
}
