package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.client.inventory.Footprint;
import java.util.List;

/**
 * Makes room on the cluster for the allocations of all review apps together. Implementations are
 * idempotent: they compute the capacity from the whole list and set it, never add to it.
 */
public interface CapacityProvider {

  /** Brings the cluster's size in line with {@code allocations}, every copy of every group. */
  CapacityOutcome ensure(List<Footprint> allocations);

  /** What {@link #ensure} found. */
  sealed interface CapacityOutcome {
    /** A line for the CapacityReady condition's message. */
    String message();

    /** The cluster has, or has been asked for, room for everything. */
    record Sufficient(int instances, String message) implements CapacityOutcome {}

    /** Not everything fits: the group is at its maximum, or an allocation is too large. */
    record Insufficient(int instances, String message) implements CapacityOutcome {}
  }
}
