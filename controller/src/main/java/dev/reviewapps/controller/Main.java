package dev.reviewapps.controller;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * Entry point of {@code review-apps.jar}: {@code controller --config FILE} runs the operator. The
 * {@code reviewctl} CLI is a jar of its own (module {@code reviewctl/}), so that CI images need
 * none of the server's libraries.
 */
@Command(
    name = "review-apps",
    mixinStandardHelpOptions = true,
    version = "review-apps 0.1.0",
    description = "Self-hosted review apps on Consul, Nomad and AWS.",
    subcommands = {ControllerCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(new CommandLine(new Main()).execute(args));
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
