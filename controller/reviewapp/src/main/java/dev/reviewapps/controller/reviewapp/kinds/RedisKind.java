package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.client.inventory.DatabaseCredentials;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * RedisReady: the service job exists (registered with only its Redis group the first time, so that
 * web and worker wait for the migration) and its Redis allocation is running with an address, which
 * later kinds hand to the processes as REDIS_URL.
 *
 * <p>The service job is this kind's: it registers it first, web and worker join it as groups. So it
 * is deleted here, after the predestroy command (which needs Redis) and before the database:
 * stopped, waited for until no allocation runs, purged. Orphans: one listing of Nomad's jobs marked
 * as review apps' (Meta {@code review-app}), the service job and every batch job named for an app.
 */
public final class RedisKind implements ResourceKind {

  private final NomadJobs nomad;
  private final ReviewAppJobs jobs;
  private final Duration recheck;
  private final Duration teardownRecheck;

  @Inject
  RedisKind(
      ReviewAppProviders providers,
      ReviewAppJobs jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown) {
    this.nomad = providers.nomad();
    this.jobs = jobs;
    this.recheck = settings.recheck();
    this.teardownRecheck = teardown.recheck();
  }

  @Override
  public String name() {
    return "redis";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.of(ConditionType.RedisReady);
  }

  /**
   * Room in the cluster only: Redis needs the app's password (made with the database's credentials
   * at the start of the database kind) but not the database, so it starts while an RDS instance is
   * still being created.
   */
  @Override
  public Optional<Set<String>> needs() {
    return Optional.of(Set.of("capacity"));
  }

  @Override
  public StepOutcome ensure(Reconciliation run) {
    if (run.spec().redis().isEmpty()) {
      return new StepOutcome.Ready("NotRequested", "the spec asks for no Redis");
    }
    if (run.credentials().isEmpty()) {
      return new StepOutcome.Waiting(
          "WaitingForCredentials", "the app's credentials are not made yet", recheck);
    }
    String jobId = ResourceNames.of(run.app()).serviceJob();
    run.record(new Resource.NomadJob(jobId));
    if (nomad.registered(run.app(), jobId).isEmpty()) {
      nomad.register(
          jobs.redisJob(
              run.app(), run.spec(), run.credentials().map(DatabaseCredentials::redisPassword)));
      return new StepOutcome.Waiting("Starting", "Redis job registered", recheck);
    }
    Optional<String> address = servingAddress(nomad, run.app());
    if (address.isEmpty()) {
      return new StepOutcome.Waiting("Starting", "waiting for the Redis allocation", recheck);
    }
    run.redisAddress(address.get());
    return new StepOutcome.Ready("Running", "Redis at " + address.get());
  }

  /** {@code ip:port} of the app's Redis allocation that serves, if one does. */
  static Optional<String> servingAddress(NomadJobs nomad, String app) {
    return nomad.allocations(ResourceNames.of(app).serviceJob(), TaskRole.REDIS.label()).stream()
        .filter(NomadJobs.GroupAllocation::serving)
        .flatMap(a -> a.address().stream())
        .findFirst();
  }

  @Override
  public Optional<Duration> delete(Dismantling run) {
    String serviceJob = ResourceNames.of(run.app()).serviceJob();
    return NomadJobRemoval.remove(run, nomad, serviceJob::equals, teardownRecheck);
  }

  @Override
  public List<OrphanSource> orphans() {
    return List.of(
        new OrphanSource(
            "nomad-job",
            nomad::reviewAppJobs,
            (id, app) ->
                AppName.parse(app)
                    .map(
                        n ->
                            id.equals(ResourceNames.of(app).serviceJob())
                                || ResourceNames.ownerOfJob(id).equals(Optional.of(n)))
                    .orElse(false),
            o -> nomad.purge(o.app(), o.id())));
  }
}
