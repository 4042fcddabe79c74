package dev.reviewapps.controller.metrics;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.function.BooleanSupplier;

/**
 * {@code leader_election_master_status{name}}: 1 while this process leads, 0 otherwise, as
 * client-go's leader election reports it.
 */
public final class LeaderStatus {
  private LeaderStatus() {}

  /** Registers the gauge, read from {@code isLeader} at every scrape. */
  public static void register(MeterRegistry registry, String name, BooleanSupplier isLeader) {
    Gauge.builder("leader_election_master_status", isLeader, s -> s.getAsBoolean() ? 1 : 0)
        .description("Gauge of if the reporting system is master of the relevant lease")
        .tag("name", name)
        // Micrometer holds gauge state weakly by default: a lambda would be collected (NaN).
        .strongReference(true)
        .register(registry);
  }
}
