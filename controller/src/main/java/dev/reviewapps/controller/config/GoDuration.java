package dev.reviewapps.controller.config;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations as Consul, Nomad and Go write them: {@code 500ms}, {@code 15s}, {@code 10m}, {@code
 * 1h30m}. One notation across the config file, the environment and Consul's own settings.
 */
final class GoDuration {
  private GoDuration() {}

  private static final Pattern PART = Pattern.compile("(\\d+)(ms|s|m|h)");

  static Duration parse(String text) {
    if (text.isEmpty()) {
      throw new IllegalArgumentException("empty");
    }
    Matcher m = PART.matcher(text);
    Duration total = Duration.ZERO;
    int at = 0;
    while (m.lookingAt()) {
      long n = Long.parseLong(m.group(1));
      total =
          total.plus(
              switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
              });
      at = m.end();
      m.region(at, text.length());
    }
    if (at != text.length()) {
      throw new IllegalArgumentException("not a duration such as 500ms, 15s, 10m or 1h30m");
    }
    return total;
  }

  static String format(Duration d) {
    if (d.toMillis() % 1000 != 0) {
      return d.toMillis() + "ms";
    }
    long s = d.toSeconds();
    if (s % 3600 == 0 && s > 0) {
      return s / 3600 + "h";
    }
    return s % 60 == 0 && s > 0 ? s / 60 + "m" : s + "s";
  }
}
