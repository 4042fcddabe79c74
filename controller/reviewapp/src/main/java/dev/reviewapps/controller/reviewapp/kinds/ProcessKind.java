package dev.reviewapps.controller.reviewapp.kinds;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * WebReady and WorkerReady. The web kind registers the full service job (Redis, web, worker) when
 * the registered one is not this release's (compared by the job's {@code spec-hash}); both kinds
 * then count the allocations of the current job version that serve. Old allocations do not count,
 * so a new commit is Ready only once its own processes run. A new release's web allocations start
 * beside the old ones (Nomad canaries); once all pass their check the web kind promotes them, and
 * only then does Nomad stop the old ones: no rollout depends on how long a process takes to start.
 * While the app sleeps the job keeps both groups at count 0, and both wait until no allocation of
 * them is left.
 *
 * <p>Deleted: nothing of their own. Web and worker are groups of the service job, which {@link
 * RedisKind} stops after the predestroy command has run; their orphans are in its Nomad listing.
 */
abstract class ProcessKind implements ResourceKind {

  private final TaskRole role;
  private final NomadJobs nomad;
  private final ReviewAppJobs jobs;
  private final Duration recheck;

  ProcessKind(TaskRole role, NomadJobs nomad, ReviewAppJobs jobs, Duration recheck) {
    this.role = role;
    this.nomad = nomad;
    this.jobs = jobs;
    this.recheck = recheck;
  }

  @Override
  public final String name() {
    return role.label();
  }

  @Override
  public final Optional<ConditionType> condition() {
    return Optional.of(role == TaskRole.WEB ? ConditionType.WebReady : ConditionType.WorkerReady);
  }

  @Override
  public final Optional<Duration> delete(Dismantling run) {
    return Optional.empty();
  }

  @Override
  public final StepOutcome ensure(Reconciliation run) {
    Optional<ProcessSpec> process =
        role == TaskRole.WEB
            ? Optional.of(run.spec().processes().web())
            : run.spec().processes().worker();
    if (process.isEmpty()) {
      return new StepOutcome.Ready("NotRequested", "the spec has no " + role.label() + " process");
    }
    String jobId = ResourceNames.of(run.app()).serviceJob();
    Optional<NomadJobs.RegisteredJob> registered = nomad.registered(run.app(), jobId);
    if (role == TaskRole.WEB) {
      Job wanted =
          run.asleep()
              ? jobs.sleepingServiceJob(run.release())
              : jobs.serviceJob(run.release(), true);
      String hash = ReviewAppJobs.specHash(wanted);
      if (registered.map(j -> hash.equals(j.meta().get(ReviewAppJobs.META_SPEC_HASH))).orElse(false)
          == false) {
        run.record(new Resource.NomadJob(jobId));
        nomad.register(wanted);
        return run.asleep()
            ? new StepOutcome.Waiting(
                "FallingAsleep", "web and worker scaled to 0 while the app sleeps", recheck)
            : new StepOutcome.Waiting(
                "Deploying", "service job updated to commit " + run.spec().commit(), recheck);
      }
    }
    if (registered.isEmpty()) {
      return new StepOutcome.Waiting("Deploying", "service job not registered yet", recheck);
    }
    if (run.asleep()) {
      return asleep(jobId, run);
    }
    int wanted = process.get().count();
    if (wanted == 0) {
      // Nomad stops what ran before; the route kind withdraws a web's route at once rather than
      // keep it on allocations that are stopping.
      return new StepOutcome.Ready(
          "ScaledToZero",
          "the spec's " + role.label() + " count is 0: Nomad stops its allocations");
    }
    long version = registered.get().version();
    List<NomadJobs.GroupAllocation> current =
        nomad.allocations(jobId, role.label()).stream()
            .filter(a -> a.jobVersion() == version)
            .filter(NomadJobs.GroupAllocation::serving)
            // A web allocation counts once it has an address the route can point at.
            .filter(a -> role != TaskRole.WEB || a.address().isPresent())
            .toList();
    Optional<NomadJobs.Rollout> rollout =
        role == TaskRole.WEB
            ? nomad.latestDeployment(jobId).filter(d -> d.jobVersion() == version)
            : Optional.empty();
    if (current.size() < wanted && rollout.filter(d -> "failed".equals(d.status())).isPresent()) {
      // Nomad gave up on the new release's canaries; it never stopped the old ones, and the route
      // still points at them (this kind is not Ready, so the route kind does not run).
      return new StepOutcome.Failed(
          "DeployFailed",
          "the web allocations of commit "
              + run.spec().commit()
              + " did not pass their check in time (Nomad: "
              + rollout.get().description()
              + "); an earlier release keeps serving. A new commit rolls out again");
    }
    if (current.size() < wanted) {
      return new StepOutcome.Waiting(
          "Starting",
          current.size() + " of " + wanted + " " + role.label() + " allocations running",
          recheck);
    }
    if (rollout.filter(d -> d.awaitingPromotion() && "running".equals(d.status())).isPresent()) {
      // Every new web allocation passes its check: Nomad may now stop the old ones. Each keeps
      // serving for its shutdown_delay, and the route moves to the new ones in this same run.
      nomad.promote(rollout.get().id());
    }
    if (role == TaskRole.WEB) {
      run.webAddresses(current.stream().map(a -> a.address().orElseThrow()).sorted().toList());
    }
    return new StepOutcome.Ready(
        "Running", current.size() + " " + role.label() + " allocation(s) running and healthy");
  }

  /** A sleeping app's group: done once no allocation of it runs or is about to. */
  private StepOutcome asleep(String jobId, Reconciliation run) {
    long left =
        nomad.allocations(jobId, role.label()).stream()
            .filter(a -> "run".equals(a.desiredStatus()) || live(a.clientStatus()))
            .count();
    if (left > 0) {
      return new StepOutcome.Waiting(
          "FallingAsleep", left + " " + role.label() + " allocation(s) still stopping", recheck);
    }
    return new StepOutcome.Degraded(
        "Sleeping", "no " + role.label() + " allocation while " + run.app() + " sleeps");
  }

  private static boolean live(String clientStatus) {
    return "pending".equals(clientStatus) || "running".equals(clientStatus);
  }
}
