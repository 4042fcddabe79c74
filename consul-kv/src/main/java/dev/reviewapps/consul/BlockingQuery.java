package dev.reviewapps.consul;

import java.time.Duration;
import java.util.Objects;

/**
 * The {@code index} and {@code wait} parameter ({@code maxWait}) of a Consul blocking query: the
 * answer comes when the data passes {@code index} or after about {@code wait}. Index 0 asks for an
 * immediate answer.
 */
public record BlockingQuery(long index, Duration maxWait) {

  /** An ordinary, non-blocking read. */
  public static final BlockingQuery NONE = new BlockingQuery(0, Duration.ZERO);

  public BlockingQuery {
    Objects.requireNonNull(maxWait, "maxWait");
    if (index < 0 || maxWait.isNegative() || maxWait.compareTo(Duration.ofMinutes(10)) > 0) {
      throw new IllegalArgumentException(
          "index must be >= 0 and wait between 0 and 10m (Consul's limit), got " + maxWait);
    }
  }

  /** True when this query asks Consul to wait for a change. */
  public boolean blocks() {
    return index > 0 && !maxWait.isZero();
  }
}
