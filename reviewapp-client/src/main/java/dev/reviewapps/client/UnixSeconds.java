package dev.reviewapps.client;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * Times as the router and reviewctl write them into {@code activity/} and {@code wake/} keys: Unix
 * seconds, whole or with a fraction ({@code 1764748800}, {@code 1764748800.25}).
 */
public final class UnixSeconds {
  private UnixSeconds() {}

  /** The time in {@code value}, or empty when it is anything else (no time at all). */
  public static Optional<Instant> parse(byte[] value) {
    String text = new String(value, StandardCharsets.UTF_8).trim();
    if (!text.matches("[0-9]{1,12}(\\.[0-9]{1,9})?")) {
      return Optional.empty();
    }
    BigDecimal s = new BigDecimal(text);
    long whole = s.longValue();
    long nanos = s.subtract(BigDecimal.valueOf(whole)).movePointRight(9).longValue();
    return Optional.of(Instant.ofEpochSecond(whole, nanos));
  }

  /** {@code at} in whole seconds, as written for the controller to read. */
  public static byte[] format(Instant at) {
    return Long.toString(at.getEpochSecond()).getBytes(StandardCharsets.UTF_8);
  }
}
