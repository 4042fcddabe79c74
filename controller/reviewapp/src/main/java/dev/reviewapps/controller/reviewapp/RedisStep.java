package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.inventory.Resource;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * RedisReady: the service job exists (registered with only its Redis group the first time, so that
 * web and worker wait for the migration) and its Redis allocation is running with an address, which
 * later steps hand to the processes as REDIS_URL.
 */
final class RedisStep implements Step {

  private final NomadJobs nomad;
  private final ReviewAppJobs jobs;
  private final Duration recheck;

  RedisStep(NomadJobs nomad, ReviewAppJobs jobs, Duration recheck) {
    this.nomad = nomad;
    this.jobs = jobs;
    this.recheck = recheck;
  }

  @Override
  public ConditionType condition() {
    return ConditionType.RedisReady;
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    if (run.spec().redis().isEmpty()) {
      return new StepOutcome.Ready("NotRequested", "the spec asks for no Redis");
    }
    String jobId = ReviewAppJobs.serviceJobId(run.app());
    run.record(new Resource.NomadJob(jobId));
    if (nomad.registered(run.app(), jobId).isEmpty()) {
      // The database URL is known by now (the database step ran first).
      nomad.register(jobs.serviceJob(run.release(), false));
      return new StepOutcome.Waiting("Starting", "Redis job registered", recheck);
    }
    Optional<String> address =
        nomad.allocations(jobId, TaskRole.REDIS.label()).stream()
            .filter(NomadJobs.GroupAllocation::serving)
            .flatMap(a -> a.address().stream())
            .findFirst();
    if (address.isEmpty()) {
      return new StepOutcome.Waiting("Starting", "waiting for the Redis allocation", recheck);
    }
    run.redisAddress(address.get());
    return new StepOutcome.Ready("Running", "Redis at " + address.get());
  }
}
