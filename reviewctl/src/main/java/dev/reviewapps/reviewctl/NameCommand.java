package dev.reviewapps.reviewctl;

import dev.reviewapps.model.naming.AppName;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code name BRANCH}: the app name of a branch, by api-model's {@link AppName} rule, so that CI
 * scripts, reviewctl and the controller share one implementation.
 */
@Command(name = "name", description = "Print the app name of a git branch (the controller's rule).")
final class NameCommand extends AppCommand implements Callable<Integer> {

  @Parameters(paramLabel = "BRANCH", description = "A git branch name.")
  String branch;

  @Override
  public Integer call() {
    out().println(AppName.fromBranch(branch).value());
    return ExitCode.OK;
  }
}
