package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.client.inventory.Footprint;
import java.util.List;

/**
 * For clusters without an Auto Scaling Group: a fixed number of nodes of one size. Nothing is
 * changed anywhere; the outcome only says whether the apps fit.
 */
public final class StaticCapacity implements CapacityProvider {

  private final int nodes;
  private final CapacityPlanner planner;

  public StaticCapacity(int nodes, CapacityPlanner planner) {
    this.nodes = nodes;
    this.planner = planner;
  }

  @Override
  public CapacityOutcome ensure(List<Footprint> allocations) {
    CapacityPlanner.CapacityPlan plan = planner.plan(allocations, nodes, nodes);
    String message = "static cluster of " + nodes + " nodes, " + plan.neededInstances() + " needed";
    return plan.fits()
        ? new CapacityOutcome.Sufficient(nodes, message)
        : new CapacityOutcome.Insufficient(nodes, message + describe(plan));
  }

  static String describe(CapacityPlanner.CapacityPlan plan) {
    return plan.oversized().isEmpty()
        ? ""
        : ", " + plan.oversized().size() + " allocation(s) larger than one node";
  }
}
