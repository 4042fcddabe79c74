package dev.reviewapps.model.validation;

import java.util.Objects;

/**
 * One broken rule: where ({@code path}, a JSON path such as {@code $.spec.processes.web.count}),
 * which rule, and a message for people that says what is allowed.
 */
public record Violation(String path, Rule rule, String message) {

  public Violation {
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(rule, "rule");
    Objects.requireNonNull(message, "message");
  }

  /**
   * {@code path: message}, the form shown to users (e.g. {@code $.spec.proceses: unknown field}).
   */
  @Override
  public String toString() {
    return path + ": " + message;
  }
}
