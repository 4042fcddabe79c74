package dev.reviewapps.controller.config;

import java.util.List;

/** The configuration could not be used; {@link #problems()} names each field and what is wrong. */
public final class InvalidConfig extends Exception {
  private static final long serialVersionUID = 1L;
  private final List<String> problems;

  public InvalidConfig(List<String> problems) {
    super("invalid configuration:\n  " + String.join("\n  ", problems));
    this.problems = List.copyOf(problems);
  }

  /** One line per problem, each starting with the field (and its environment variable). */
  public List<String> problems() {
    return problems;
  }
}
