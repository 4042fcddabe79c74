package dev.reviewapps.model.spec;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * How long a review app may go without a request through the router before it is put to sleep, as
 * written in the spec: {@code 0} (never), or a whole number and a unit as for {@link Ttl} ({@code
 * 30m}, {@code 2h}, {@code 1d}). The text is kept as written.
 *
 * @param idle empty for {@code 0}: the app never sleeps on its own
 */
public record SleepAfter(Optional<Ttl> idle) {

  /** {@code sleepAfter: "0"}: never sleeps on its own (a {@code reviewctl sleep} still works). */
  public static final SleepAfter NEVER = new SleepAfter(Optional.empty());

  public SleepAfter {
    Objects.requireNonNull(idle, "idle");
  }

  /** The value for {@code text} if it is {@code 0} or has a TTL's syntax, else empty. */
  public static Optional<SleepAfter> parse(String text) {
    if (text.equals("0")) {
      return Optional.of(NEVER);
    }
    return Ttl.parse(text).map(t -> new SleepAfter(Optional.of(t)));
  }

  /** The idle time after which the app sleeps; empty: never. */
  public Optional<Duration> duration() {
    return idle.map(Ttl::duration);
  }

  /** The spec text, e.g. {@code 30m} or {@code 0}. */
  @Override
  public String toString() {
    return idle.map(Ttl::toString).orElse("0");
  }
}
