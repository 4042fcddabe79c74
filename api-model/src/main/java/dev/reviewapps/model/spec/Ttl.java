package dev.reviewapps.model.spec;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How long a review app may live after its spec was last written, as written in the spec: a
 * positive whole number and one unit, {@code m} (minutes), {@code h} (hours) or {@code d} (days),
 * e.g. {@code 30m}, {@code 72h}, {@code 7d}. The text is kept as written so that JSON round-trips
 * unchanged ({@code 72h} is not rewritten as {@code 3d}).
 */
public record Ttl(long amount, Unit unit) {

  /** The units a TTL may be written in. */
  public enum Unit {
    MINUTES('m', Duration.ofMinutes(1)),
    HOURS('h', Duration.ofHours(1)),
    DAYS('d', Duration.ofDays(1));

    private final char symbol;
    private final Duration length;

    Unit(char symbol, Duration length) {
      this.symbol = symbol;
      this.length = length;
    }

    /** The letter used in the spec. */
    public char symbol() {
      return symbol;
    }
  }

  // Six digits are far above any sensible bound and keep the arithmetic clear of overflow.
  private static final Pattern SYNTAX = Pattern.compile("([1-9][0-9]{0,5})([mhd])");

  public Ttl {
    Objects.requireNonNull(unit, "unit");
    if (amount <= 0) {
      throw new IllegalArgumentException("ttl amount must be positive: " + amount);
    }
  }

  /** The TTL for {@code text} if it has the syntax above, else empty. Bounds are not checked. */
  public static Optional<Ttl> parse(String text) {
    Matcher m = SYNTAX.matcher(text);
    if (!m.matches()) {
      return Optional.empty();
    }
    Unit unit =
        switch (m.group(2).charAt(0)) {
          case 'm' -> Unit.MINUTES;
          case 'h' -> Unit.HOURS;
          default -> Unit.DAYS;
        };
    return Optional.of(new Ttl(Long.parseLong(m.group(1)), unit));
  }

  /** The length of time this TTL stands for. */
  public Duration duration() {
    return unit.length.multipliedBy(amount);
  }

  /** The spec text, e.g. {@code 72h}. */
  @Override
  public String toString() {
    return amount + String.valueOf(unit.symbol);
  }
}
