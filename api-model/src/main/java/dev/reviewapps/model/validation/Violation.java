package dev.reviewapps.model.validation;

import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * One broken rule: where ({@code path}, a JSON path such as {@code $.spec.processes.web.count}),
 * which rule, and a message for people that says what is allowed.
 */
public record Violation(String path, Rule rule, String message) {

  /** The most violations {@link #summary} lists: status and log lines stay small. */
  public static final int MAX_REPORTED = 20;

  /** The longest path or message {@link #summary} shows of one violation, in characters. */
  static final int MAX_TEXT = 300;

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

  /**
   * The violations as one line for status and logs: the first {@value #MAX_REPORTED} in order, each
   * cut to a bounded length, then {@code and N more}. A spec with tens of thousands of bad keys
   * must not produce megabytes of status or log text.
   */
  public static String summary(List<Violation> violations) {
    String shown =
        violations.stream()
            .limit(MAX_REPORTED)
            .map(v -> cut(v.path()) + ": " + cut(v.message()))
            .collect(Collectors.joining("; "));
    int more = violations.size() - MAX_REPORTED;
    return more > 0 ? shown + "; and " + more + " more" : shown;
  }

  private static String cut(String text) {
    return text.length() <= MAX_TEXT ? text : text.substring(0, MAX_TEXT - 1) + "…";
  }
}
