package dev.reviewapps.devstack.cli;

import java.util.List;

/**
 * One stand-in as a command of {@code devstack.jar} ({@code consul}, {@code nomad}, {@code aws}).
 * Each module registers its command in {@code META-INF/services}, so the launcher needs no edit
 * when a stand-in is added.
 */
public interface StandInCommand {
  /** The word on the command line, e.g. {@code consul}. */
  String name();

  /** One line for the launcher's usage text. */
  String summary();

  /**
   * Parses the command's own arguments, starts the stand-in and blocks until the process is asked
   * to stop. Returns the exit code.
   */
  int run(List<String> args) throws Exception;
}
