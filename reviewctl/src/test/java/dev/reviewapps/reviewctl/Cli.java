package dev.reviewapps.reviewctl;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

/** Runs reviewctl in-process with an environment of its own and captures what it prints. */
final class Cli {
  private final Map<String, String> env;
  private final String stdin;

  Cli(Map<String, String> env) {
    this(env, "");
  }

  private Cli(Map<String, String> env, String stdin) {
    this.env = Map.copyOf(env);
    this.stdin = stdin;
  }

  /** The same environment plus one variable. */
  Cli with(String name, String value) {
    Map<String, String> more = new HashMap<>(env);
    more.put(name, value);
    return new Cli(more, stdin);
  }

  /** The same, reading {@code text} as standard input. */
  Cli input(String text) {
    return new Cli(env, text);
  }

  Run run(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code =
        Reviewctl.run(
            new Terminal(
                env,
                new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8),
                Clock.systemUTC()),
            args);
    return new Run(
        code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** One run: exit code and both streams. */
  record Run(int exitCode, String out, String err) {}
}
