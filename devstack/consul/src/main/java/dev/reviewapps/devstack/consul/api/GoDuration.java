package dev.reviewapps.devstack.consul.api;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Go's {@code time.ParseDuration}, which Consul uses for {@code ?wait=}, session TTLs and
 * lock-delays: {@code "300ms"}, {@code "1.5h"}, {@code "2h45m"}; a bare number is refused except
 * {@code "0"}.
 */
final class GoDuration {
  private static final Pattern PART =
      Pattern.compile("(\\d+(?:\\.\\d*)?|\\.\\d+)(ns|us|µs|μs|ms|s|m|h)");
  private static final Map<String, Long> NANOS =
      Map.of(
          "ns", 1L,
          "us", 1_000L,
          "µs", 1_000L,
          "μs", 1_000L,
          "ms", 1_000_000L,
          "s", 1_000_000_000L,
          "m", 60_000_000_000L,
          "h", 3_600_000_000_000L);

  private GoDuration() {}

  /** Parses a Go duration; the message of the exception is Go's. */
  static Duration parse(String text) {
    String body = text;
    boolean negative = false;
    if (body.startsWith("-") || body.startsWith("+")) {
      negative = body.startsWith("-");
      body = body.substring(1);
    }
    if (body.equals("0")) {
      return Duration.ZERO;
    }
    if (body.isEmpty()) {
      throw invalid(text);
    }
    Matcher m = PART.matcher(body);
    int at = 0;
    BigDecimal nanos = BigDecimal.ZERO;
    while (at < body.length()) {
      if (!m.find(at) || m.start() != at) {
        throw invalid(text);
      }
      nanos =
          nanos.add(new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(NANOS.get(m.group(2)))));
      at = m.end();
    }
    long value = nanos.longValue();
    return Duration.ofNanos(negative ? -value : value);
  }

  private static IllegalArgumentException invalid(String text) {
    return new IllegalArgumentException("time: invalid duration \"" + text + "\"");
  }

  /** Go's {@code Duration.String()} for whole seconds and above, e.g. {@code 24h0m0s}. */
  static String format(Duration d) {
    long seconds = d.getSeconds();
    if (seconds < 60) {
      return seconds + "s";
    }
    if (seconds < 3600) {
      return (seconds / 60) + "m" + (seconds % 60) + "s";
    }
    return (seconds / 3600) + "h" + (seconds % 3600 / 60) + "m" + (seconds % 60) + "s";
  }
}
