package dev.reviewapps.reviewctl;

import java.time.Duration;
import picocli.CommandLine.Option;

/** {@code --timeout DURATION} (default 10m), one option for {@code wait} and {@code delete}. */
final class Timeout {
  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      defaultValue = "10m",
      converter = Durations.class,
      description = "How long to wait, e.g. 90s, 10m, 1h (default 10m).")
  Duration value;
}
