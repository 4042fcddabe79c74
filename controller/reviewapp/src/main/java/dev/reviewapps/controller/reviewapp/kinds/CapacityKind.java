package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * CapacityReady: records this app's allocations in its inventory (a sleeping app's web and worker
 * count for nothing, so its capacity is given back; during a rollout the old and the new web count)
 * and, when they changed, nudges the {@link CapacitySizer}, which sizes the cluster for every app
 * together. The condition reports the last sizing. A shortfall is reported but does not stop the
 * app: Nomad places what fits and queues the rest until room appears.
 *
 * <p>Deleted: the app's footprint is forgotten and the sizer nudged, so the cluster shrinks without
 * it (a crash in between is caught by the sizer's periodic pass). It owns no outside resource of
 * its own, so there is nothing for the orphan sweep.
 */
public final class CapacityKind implements ResourceKind {

  private static final Logger LOG = LoggerFactory.getLogger(CapacityKind.class);

  private final CapacitySizer sizer;
  private final ReviewAppJobs jobs;
  private final NomadJobs nomad;

  @Inject
  CapacityKind(CapacitySizer sizer, ReviewAppJobs jobs, ReviewAppProviders providers) {
    this.sizer = sizer;
    this.jobs = jobs;
    this.nomad = providers.nomad();
  }

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.of(ConditionType.CapacityReady);
  }

  /** Nothing: the footprint comes from the spec alone, so it is recorded while a database waits. */
  @Override
  public Optional<Set<String>> needs() {
    return Optional.of(Set.of());
  }

  @Override
  public StepOutcome ensure(Reconciliation run) {
    // A rollout runs the new release's web beside the old one until the promotion (and a failed
    // one keeps both): the cluster needs room for all of them while they run.
    int web = run.spec().processes().web().count();
    if (!run.asleep()) {
      web = Math.max(web, nomad.liveAllocations(ResourceNames.of(run.app()).serviceJob(), "web"));
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

  @Override
  public Optional<Duration> delete(Dismantling run) {
    if (run.inventory().allocations().isEmpty()) {
      return Optional.empty();
    }
    run.deleting("recomputing capacity without the app");
    run.update(i -> i.withAllocations(List.of()));
    sizer.nudge();
    LOG.info(
        "teardown of {}: allocations forgotten; capacity {}",
        run.app(),
        sizer.deferred()
            ? "is sized again by the leader"
            : sizer.last().map(o -> o.message()).orElse("unknown"));
    return Optional.empty();
  }
}
