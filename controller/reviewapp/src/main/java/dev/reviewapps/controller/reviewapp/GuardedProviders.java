package dev.reviewapps.controller.reviewapp;

import com.hashicorp.nomad.apimodel.Job;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.resilience.OutsideSystem;
import dev.reviewapps.controller.resilience.OutsideSystems;
import dev.reviewapps.controller.reviewapp.aws.AppAssets;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabases;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Puts every call of the providers through the engine's resilience4j retry and circuit breaker of
 * its system ({@code postgres}, {@code rds}, {@code autoscaling}, {@code nomad}, {@code s3}), so
 * that their metrics show up and an outage of one system stops calls to it at once. Every provider
 * call is idempotent, which is what makes retrying a whole call safe. Credentials and routes go
 * through Consul KV, which the engine guards itself ({@code GuardedStore}).
 */
public final class GuardedProviders {
  /** The outside systems of review apps, each with its own retry and breaker. */
  public static final String POSTGRES = "postgres";

  public static final String RDS = "rds";
  public static final String AUTOSCALING = "autoscaling";
  public static final String NOMAD = "nomad";
  public static final String S3 = "s3";

  /** Every one of them: registered with the engine so that their metrics exist from the start. */
  public static final List<String> SYSTEMS = List.of(POSTGRES, RDS, AUTOSCALING, NOMAD, S3);

  private GuardedProviders() {}

  /** The same providers, each call guarded. */
  public static ReviewAppProviders wrap(ReviewAppProviders p, OutsideSystems systems) {
    return new ReviewAppProviders(
        p.credentials(),
        sharedDatabases(p.sharedDatabases(), systems.system(POSTGRES)),
        rds(p.rds(), systems.system(RDS)),
        capacity(p.capacity(), systems.system(AUTOSCALING)),
        nomad(p.nomad(), systems.system(NOMAD)),
        p.routes(),
        assets(p.assets(), systems));
  }

  static SharedDatabases sharedDatabases(SharedDatabases inner, OutsideSystem guard) {
    return new SharedDatabases() {
      @Override
      public void ensure(SharedDatabase database, char[] password) {
        guard.run(() -> inner.ensure(database, password));
      }

      @Override
      public boolean exists(SharedDatabase database) {
        return guard.call(() -> inner.exists(database));
      }

      @Override
      public void drop(SharedDatabase database) {
        guard.run(() -> inner.drop(database));
      }

      @Override
      public Map<String, String> tagged() {
        return guard.call(inner::tagged);
      }
    };
  }

  static RdsInstances rds(RdsInstances inner, OutsideSystem guard) {
    return new RdsInstances() {
      @Override
      public Optional<RdsInstance> describe(String identifier) {
        return guard.call(() -> inner.describe(identifier));
      }

      @Override
      public void create(NewInstance instance) {
        guard.run(() -> inner.create(instance));
      }

      @Override
      public void restore(String snapshotIdentifier, NewInstance instance) {
        guard.run(() -> inner.restore(snapshotIdentifier, instance));
      }

      @Override
      public void setMasterPassword(String identifier, String password) {
        guard.run(() -> inner.setMasterPassword(identifier, password));
      }

      @Override
      public void delete(String identifier, Optional<String> finalSnapshotIdentifier) {
        guard.run(() -> inner.delete(identifier, finalSnapshotIdentifier));
      }

      @Override
      public Map<String, String> tagged() {
        return guard.call(inner::tagged);
      }
    };
  }

  /** The S3 assets of the apps, each call through the {@code s3} retry and breaker. */
  static AppAssets assets(AppAssets inner, OutsideSystems systems) {
    OutsideSystem guard = systems.system(S3);
    return new AppAssets() {
      @Override
      public int deleteAll(String app) {
        return guard.call(() -> inner.deleteAll(app));
      }

      @Override
      public int count(String app) {
        return guard.call(() -> inner.count(app));
      }

      @Override
      public Set<String> apps() {
        return guard.call(inner::apps);
      }
    };
  }

  static CapacityProvider capacity(CapacityProvider inner, OutsideSystem guard) {
    return (List<Footprint> allocations) -> guard.call(() -> inner.ensure(allocations));
  }

  static NomadJobs nomad(NomadJobs inner, OutsideSystem guard) {
    return new NomadJobs() {
      @Override
      public Optional<RegisteredJob> registered(String app, String jobId) {
        return guard.call(() -> inner.registered(app, jobId));
      }

      @Override
      public void register(Job job) {
        guard.run(() -> inner.register(job));
      }

      @Override
      public void purge(String app, String jobId) {
        guard.run(() -> inner.purge(app, jobId));
      }

      @Override
      public void stop(String app, String jobId) {
        guard.run(() -> inner.stop(app, jobId));
      }

      @Override
      public int liveAllocations(String jobId) {
        return guard.call(() -> inner.liveAllocations(jobId));
      }

      @Override
      public int liveAllocations(String jobId, String taskGroup) {
        return guard.call(() -> inner.liveAllocations(jobId, taskGroup));
      }

      @Override
      public List<GroupAllocation> allocations(String jobId, String taskGroup) {
        return guard.call(() -> inner.allocations(jobId, taskGroup));
      }

      @Override
      public Map<String, String> reviewAppJobs() {
        return guard.call(inner::reviewAppJobs);
      }

      @Override
      public Optional<Rollout> latestDeployment(String jobId) {
        return guard.call(() -> inner.latestDeployment(jobId));
      }

      @Override
      public void promote(String deploymentId) {
        guard.run(() -> inner.promote(deploymentId));
      }
    };
  }
}
