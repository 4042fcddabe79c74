package dev.reviewapps.devstack.nomad.api;

import dev.reviewapps.devstack.http.HttpError;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Nomad's {@code ?wait=} values: Go durations ({@code 29999ms}, {@code 5s}, {@code 1m30s}). */
final class WaitParam {
  private static final Pattern PART = Pattern.compile("(\\d+(?:\\.\\d+)?)(ns|us|µs|ms|s|m|h)");
  static final Duration DEFAULT = Duration.ofMinutes(5);
  static final Duration MAX = Duration.ofMinutes(10);

  private WaitParam() {}

  /** The wait a blocking query asked for, defaulted and capped as Nomad does. */
  static Duration of(Optional<String> text) {
    if (text.isEmpty() || text.get().isEmpty()) {
      return DEFAULT;
    }
    Duration wait = parse(text.get());
    return wait.compareTo(MAX) > 0 ? MAX : wait;
  }

  static Duration parse(String text) {
    if (text.matches("\\d+")) {
      // Go's time.ParseDuration rejects a number without a unit, and so does Nomad.
      throw new HttpError(400, "Invalid wait time");
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int end = 0;
    while (m.find()) {
      if (m.start() != end) {
        throw new HttpError(400, "Invalid wait time");
      }
      end = m.end();
      double value = Double.parseDouble(m.group(1));
      double nanos =
          switch (m.group(2)) {
            case "ns" -> value;
            case "us", "µs" -> value * 1e3;
            case "ms" -> value * 1e6;
            case "s" -> value * 1e9;
            case "m" -> value * 60e9;
            default -> value * 3600e9;
          };
      total = total.plusNanos((long) nanos);
    }
    if (end != text.length() || end == 0) {
      throw new HttpError(400, "Invalid wait time");
    }
    return total;
  }
}
