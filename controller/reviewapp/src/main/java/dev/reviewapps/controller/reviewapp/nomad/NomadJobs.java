package dev.reviewapps.controller.reviewapp.nomad;

import com.hashicorp.nomad.apimodel.Job;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Nomad calls the reconcile steps make. All return at once; waiting for an allocation to run is
 * done by reconciling again later.
 */
public interface NomadJobs {

  /**
   * The registered job, or empty when there is no such job (or it was stopped). Every call that
   * reads or changes a job names the {@code app} acting: a job without that app's mark is someone
   * else's, and the implementation refuses it ({@code OwnershipConflict}).
   */
  Optional<RegisteredJob> registered(String app, String jobId);

  /** Registers (creates or updates) the job. */
  void register(Job job);

  /** Stops and purges the job; a job that does not exist is fine. */
  void purge(String app, String jobId);

  /**
   * Stops the job without purging it ({@code nomad job stop}), so that its allocations stay listed
   * while their processes end; a job that does not exist is fine.
   */
  void stop(String app, String jobId);

  /**
   * How many allocations of the job, of any group, are still pending or running: zero once every
   * process of a stopped job has ended (or the job does not exist).
   */
  int liveAllocations(String jobId);

  /**
   * How many allocations of one task group are pending or running and meant to run: during a
   * rollout the old release's and the new one's together.
   */
  int liveAllocations(String jobId, String taskGroup);

  /**
   * Every job whose Meta carries {@code review-app} (stopped ones too): job ID to the app, for the
   * orphan sweep.
   */
  Map<String, String> reviewAppJobs();

  /**
   * The job's newest deployment (Nomad makes one for each new version of a job with an update
   * block), or empty when it has none.
   */
  Optional<Rollout> latestDeployment(String jobId);

  /** Promotes every group's canaries of the deployment: Nomad then stops the old allocations. */
  void promote(String deploymentId);

  /**
   * A Nomad deployment as the web step reads it.
   *
   * @param status running, successful, failed, cancelled, …
   * @param awaitingPromotion some group has canaries and is not promoted yet
   */
  record Rollout(
      String id, long jobVersion, String status, String description, boolean awaitingPromotion) {}

  /** The allocations of one task group of a job, newest first. */
  List<GroupAllocation> allocations(String jobId, String taskGroup);

  /** The state of a batch job, from its allocations. */
  default BatchOutcome batchOutcome(String jobId, String taskGroup) {
    List<GroupAllocation> allocations = allocations(jobId, taskGroup);
    if (allocations.stream().anyMatch(a -> "complete".equals(a.clientStatus()))) {
      return new BatchOutcome.Succeeded();
    }
    boolean pending =
        allocations.isEmpty()
            || allocations.stream()
                .anyMatch(
                    a -> "pending".equals(a.clientStatus()) || "running".equals(a.clientStatus()));
    return pending
        ? new BatchOutcome.Running()
        : new BatchOutcome.Failed(allocations.get(0).clientStatus());
  }

  /**
   * A job as Nomad has it: its Meta merged with its groups' Meta (where the release keys live), and
   * its version (bumped by every change).
   */
  record RegisteredJob(Map<String, String> meta, long version) {
    public RegisteredJob {
      meta = Map.copyOf(meta);
    }
  }

  /**
   * One allocation as the steps see it.
   *
   * @param clientStatus Nomad's client status: pending, running, complete, failed, lost
   * @param desiredStatus run, stop or evict
   * @param healthy the deployment health Nomad derived from the checks, when it has one
   * @param address the {@code ip:port} of the port label asked for, once allocated
   */
  record GroupAllocation(
      String id,
      long jobVersion,
      String clientStatus,
      String desiredStatus,
      Optional<Boolean> healthy,
      Optional<String> address) {

    /**
     * Running, meant to run, and reported healthy: for web that means its HTTP check passed, so a
     * process that is still starting is not yet routed to.
     */
    public boolean serving() {
      return "running".equals(clientStatus) && "run".equals(desiredStatus) && healthy.orElse(false);
    }
  }

  /** How a batch job ended, or that it has not yet. */
  sealed interface BatchOutcome {
    /** Not finished (or not yet placed). */
    record Running() implements BatchOutcome {}

    /** An allocation completed. */
    record Succeeded() implements BatchOutcome {}

    /** Every allocation ended without completing. */
    record Failed(String clientStatus) implements BatchOutcome {}
  }
}
