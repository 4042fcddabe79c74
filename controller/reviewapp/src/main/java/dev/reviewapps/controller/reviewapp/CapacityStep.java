package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.Footprint;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.model.status.ConditionType;
import java.util.List;
import java.util.Optional;

/**
 * CapacityReady: records this app's allocations in its inventory (a sleeping app's web and worker
 * count for nothing, so its capacity is given back; during a rollout the old and the new web count)
 * and, when they changed, nudges the {@link CapacitySizer}, which sizes the cluster for every app
 * together. The condition reports the last sizing. A shortfall is reported but does not stop the
 * app: Nomad places what fits and queues the rest until room appears.
 */
final class CapacityStep implements Step {

  private final CapacitySizer sizer;
  private final ReviewAppJobs jobs;
  private final NomadJobs nomad;

  CapacityStep(CapacitySizer sizer, ReviewAppJobs jobs, NomadJobs nomad) {
    this.sizer = sizer;
    this.jobs = jobs;
    this.nomad = nomad;
  }

  @Override
  public ConditionType condition() {
    return ConditionType.CapacityReady;
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    // A rollout runs the new release's web beside the old one until the promotion (and a failed
    // one keeps both): the cluster needs room for all of them while they run.
    int web = run.spec().processes().web().count();
    if (!run.asleep()) {
      web = Math.max(web, nomad.liveAllocations(ReviewAppJobs.serviceJobId(run.app()), "web"));
    }
    List<Footprint> mine = jobs.allocations(run.spec(), run.asleep(), web);
    boolean changed = !run.inventory().allocations().equals(mine);
    if (changed) {
      run.updateInventory(i -> i.withAllocations(mine));
    }
    if (changed || sizer.last().isEmpty()) {
      sizer.nudge();
    }
    Optional<CapacityProvider.CapacityOutcome> last = sizer.last();
    if (last.isEmpty() || (changed && sizer.deferred())) {
      return new StepOutcome.Ready(
          "Recorded",
          "footprint recorded; the leader sizes the cluster within "
              + sizer.debounce().toMillis()
              + " ms");
    }
    return last.get() instanceof CapacityProvider.CapacityOutcome.Sufficient
        ? new StepOutcome.Ready("Sized", last.get().message())
        : new StepOutcome.Degraded("InsufficientCapacity", last.get().message());
  }
}
