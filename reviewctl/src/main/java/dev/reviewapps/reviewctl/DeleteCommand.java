package dev.reviewapps.reviewctl;

import dev.reviewapps.client.view.AppView;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code delete NAME}: deletes the spec key, which is how teardown is asked for; the controller
 * removes the app's resources, then its inventory and status.
 */
@Command(
    name = "delete",
    description = {
      "Delete an app's spec; the controller then tears the app down.",
      "With --wait, waits until its status and inventory are gone too (exit 2 on timeout)."
    })
final class DeleteCommand extends AppCommand implements Callable<Integer> {

  @Parameters(paramLabel = "NAME", description = "The app.")
  String name;

  @Option(names = "--wait", description = "Wait until status and inventory are gone.")
  boolean waitForTeardown;

  @Mixin Timeout timeout;

  @Option(
      names = "--ignore-not-found",
      description = "Succeed when there is no such app (for cleanup jobs that may run twice).")
  boolean ignoreNotFound;

  @Override
  public Integer call() {
    AppView app = apps().one(name);
    if (!app.exists()) {
      if (ignoreNotFound) {
        out().println("reviewapp/" + name + " not found");
        return ExitCode.OK;
      }
      throw new CliError("delete " + name + ": no review app named " + name);
    }
    if (app.spec().isPresent()) {
      store().delete(layout().spec(name));
      out().println("reviewapp/" + name + " deleted");
    } else {
      out().println("reviewapp/" + name + " spec already deleted, teardown in progress");
    }
    if (!waitForTeardown) {
      return ExitCode.OK;
    }
    StatusWait.Outcome outcome =
        new StatusWait(store(), layout(), terminal().clock()).deleted(name, timeout.value);
    return WaitCommand.report(out(), name, "Deleted", timeout.value, outcome);
  }
}
