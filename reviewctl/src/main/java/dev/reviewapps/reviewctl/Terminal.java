package dev.reviewapps.reviewctl;

import java.io.InputStream;
import java.io.PrintStream;
import java.time.Clock;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * What a reviewctl run sees of the world outside its arguments: environment variables, standard
 * streams and the clock. Tests hand in their own, so that commands run in-process without touching
 * the JVM's environment.
 */
public record Terminal(
    Map<String, String> env, InputStream in, PrintStream out, PrintStream err, Clock clock) {

  public Terminal {
    env = Map.copyOf(env);
    Objects.requireNonNull(in, "in");
    Objects.requireNonNull(out, "out");
    Objects.requireNonNull(err, "err");
    Objects.requireNonNull(clock, "clock");
  }

  /** The process's own environment and streams. */
  public static Terminal system() {
    return new Terminal(System.getenv(), System.in, System.out, System.err, Clock.systemUTC());
  }

  /** The variable's value when set and not blank. */
  public Optional<String> variable(String name) {
    String value = env.get(name);
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value.strip());
  }
}
