package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.Footprint;
import dev.reviewapps.controller.reviewapp.inventory.Inventory;
import dev.reviewapps.controller.reviewapp.inventory.InventoryStore;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.model.status.ConditionType;
import java.util.ArrayList;
import java.util.List;

/**
 * CapacityReady: records this app's allocations in its inventory, then sizes the cluster for the
 * allocations of every app's inventory together. A sleeping app's web and worker count for nothing,
 * so its capacity is given back. A shortfall is reported but does not stop the app: Nomad places
 * what fits and queues the rest until room appears.
 */
final class CapacityStep implements Step {

  private final CapacityProvider capacity;
  private final InventoryStore inventories;
  private final ReviewAppJobs jobs;

  CapacityStep(CapacityProvider capacity, InventoryStore inventories, ReviewAppJobs jobs) {
    this.capacity = capacity;
    this.inventories = inventories;
    this.jobs = jobs;
  }

  @Override
  public ConditionType condition() {
    return ConditionType.CapacityReady;
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    List<Footprint> mine = jobs.allocations(run.spec(), run.asleep());
    run.updateInventory(i -> i.withAllocations(mine));
    List<Footprint> all = new ArrayList<>(mine);
    for (Inventory other : inventories.all()) {
      if (!other.app().equals(run.app())) {
        all.addAll(other.allocations());
      }
    }
    CapacityProvider.CapacityOutcome outcome = capacity.ensure(all);
    return outcome instanceof CapacityProvider.CapacityOutcome.Sufficient
        ? new StepOutcome.Ready("Sized", outcome.message())
        : new StepOutcome.Degraded("InsufficientCapacity", outcome.message());
  }
}
