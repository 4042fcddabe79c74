package dev.reviewapps.controller.reviewapp.kinds;

import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How the kinds that run Nomad jobs delete theirs: every recorded job the kind owns is stopped (all
 * at once, so their processes end together), and once no allocation of one is pending or running it
 * is purged and forgotten. A recorded job that turns out to be someone else's is forgotten, never
 * stopped.
 */
final class NomadJobRemoval {

  private static final Logger LOG = LoggerFactory.getLogger(NomadJobRemoval.class);

  private NomadJobRemoval() {}

  /**
   * @param owned which recorded job IDs belong to the calling kind
   * @return empty when none of them is left, else {@code recheck}
   */
  static Optional<Duration> remove(
      Dismantling run, NomadJobs nomad, Predicate<String> owned, Duration recheck) {
    List<Resource.NomadJob> recorded =
        run.inventory().resources(Resource.NomadJob.class).stream()
            .filter(j -> owned.test(j.id()))
            .toList();
    if (recorded.isEmpty()) {
      return Optional.empty();
    }
    run.deleting("stopping and purging the Nomad jobs");
    List<Resource.NomadJob> ours = new ArrayList<>();
    for (Resource.NomadJob job : recorded) {
      try {
        // registered() is empty for a stopped job too: no second deregistration on later passes.
        if (nomad.registered(run.app(), job.id()).isPresent()) {
          nomad.stop(run.app(), job.id());
        }
        ours.add(job);
      } catch (OwnershipConflict e) {
        // Recorded before a register that was refused: the job is someone else's. Forget it.
        run.forget(job);
        LOG.warn("teardown of {}: {}", run.app(), e.getMessage());
      }
    }
    List<String> stillRunning = new ArrayList<>();
    for (Resource.NomadJob job : ours) {
      int live = nomad.liveAllocations(job.id());
      if (live > 0) {
        stillRunning.add(job.id() + " (" + live + ")");
        continue;
      }
      nomad.purge(run.app(), job.id());
      run.forget(job);
      LOG.info("teardown of {}: Nomad job {} stopped and purged", run.app(), job.id());
    }
    if (stillRunning.isEmpty()) {
      return Optional.empty();
    }
    LOG.debug("teardown of {}: allocations still ending: {}", run.app(), stillRunning);
    return Optional.of(recheck);
  }
}
