package dev.reviewapps.client.inventory;

import java.time.Duration;
import java.time.Instant;

/**
 * An app's running cost, kept in its inventory: {@code dollars} spent up to {@code since}, and the
 * rate since then. It is rewritten only when the rate changes (a new size, sleep, wake), so the
 * cost to date needs no write per reconcile and survives a restart.
 */
public record CostLedger(double dollars, Instant since, double perHour) {

  /** Dollars spent from the app's creation until {@code now}. */
  public double toDate(Instant now) {
    Duration d = Duration.between(since, now);
    return dollars + (d.isNegative() ? 0 : perHour * d.toMillis() / 3_600_000.0);
  }

  /** The ledger at {@code now} with the rate {@code newPerHour} from then on. */
  public CostLedger rate(double newPerHour, Instant now) {
    return new CostLedger(toDate(now), now, newPerHour);
  }
}
