package dev.reviewapps.controller.reviewapp.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.OptionalBinder;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.resilience.OutsideSystems;
import dev.reviewapps.controller.reviewapp.GuardedProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.aws.AutoScalingCapacity;
import dev.reviewapps.controller.reviewapp.aws.CapacityPlanner;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.aws.SdkRdsInstances;
import dev.reviewapps.controller.reviewapp.aws.StaticCapacity;
import dev.reviewapps.controller.reviewapp.credentials.ConsulCredentialStore;
import dev.reviewapps.controller.reviewapp.credentials.PasswordGenerator;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.SdkNomadJobs;
import dev.reviewapps.controller.reviewapp.postgres.JdbcSharedDatabases;
import dev.reviewapps.controller.reviewapp.routes.ConsulRouteTable;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;

/**
 * Replaces the engine's default reconciler with the {@link ReviewAppReconciler}, built from the
 * {@code reviewapp} section of the configuration ({@link ReviewAppConfigSection}) with the real
 * clients (JDBC, nomad-sdk, AWS SDK v2, Consul through the engine's guarded store), every outside
 * call behind the engine's retry and circuit breaker per system ({@link GuardedProviders}).
 * Registered in {@code META-INF/services/com.google.inject.Module}, so {@code ControllerInjector}
 * installs it whenever this module is on the class path.
 */
public final class ReviewAppModule extends AbstractModule {

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), Reconciler.class)
        .setBinding()
        .to(ReviewAppReconciler.class);
  }

  @Provides
  @Singleton
  ReviewAppConfig reviewAppConfig(ControllerConfig config) {
    // ConfigLoader parses the section whenever this module is on the class path; a config built
    // by hand without it is a programming error, not a user's.
    return config
        .sections()
        .get(ReviewAppConfig.class)
        .orElseThrow(
            () ->
                new IllegalStateException(
                    "the configuration has no reviewapp section: load it with ConfigLoader"));
  }

  @Provides
  @Singleton
  ReviewAppReconciler reconciler(
      KeyValueStore kv,
      KeyLayout layout,
      OutsideSystems systems,
      MeterRegistry registry,
      ReviewAppConfig config) {
    ReviewAppConfig.SharedPostgres pg = config.sharedPostgres();
    ReviewAppProviders providers =
        new ReviewAppProviders(
            new ConsulCredentialStore(kv, layout, new PasswordGenerator()),
            new JdbcSharedDatabases(pg.jdbcUrl(), pg.username(), pg.password().value()),
            new LazyRds(
                () ->
                    new SdkRdsInstances(
                        aws(RdsClient.builder(), config.aws())
                            .httpClientBuilder(ApacheHttpClient.builder())
                            .build())),
            capacity(config),
            new SdkNomadJobs(nomad(config.nomad())),
            new ConsulRouteTable(kv, layout));
    return new ReviewAppReconciler(
        kv,
        layout,
        GuardedProviders.wrap(providers, systems),
        new ReviewAppJobs(config.jobs()),
        config.databases(),
        config.reviewApps(),
        registry,
        Clock.systemUTC(),
        ReviewAppReconciler.AbsentSpec.NOTHING,
        ReviewAppReconciler.StepObserver.NONE);
  }

  private static NomadApiClient nomad(ReviewAppConfig.Nomad nomad) {
    NomadApiConfiguration.Builder builder =
        new NomadApiConfiguration.Builder().setAddress(nomad.address().toString());
    nomad.token().ifPresent(t -> builder.setAuthToken(t.value()));
    nomad.region().ifPresent(builder::setRegion);
    return new NomadApiClient(builder.build());
  }

  private static CapacityProvider capacity(ReviewAppConfig config) {
    ReviewAppConfig.Capacity c = config.capacity();
    CapacityPlanner planner =
        new CapacityPlanner(c.instanceSize(), c.headroomShare(), c.spareInstances());
    return switch (c.provider()) {
      case STATIC -> new StaticCapacity(c.staticNodes(), planner);
      case ASG ->
          new AutoScalingCapacity(
              aws(AutoScalingClient.builder(), config.aws())
                  .httpClientBuilder(ApacheHttpClient.builder())
                  .build(),
              c.autoScalingGroup().orElseThrow(),
              planner);
    };
  }

  private static <B extends AwsClientBuilder<B, ?>> B aws(B builder, ReviewAppConfig.Aws aws) {
    aws.region().map(Region::of).ifPresent(builder::region);
    if (aws.endpoint().isPresent()) {
      builder.endpointOverride(aws.endpoint().get());
      // devstack's stand-in checks no signature; without this fallback a demo machine with no AWS
      // credentials at all could not sign its requests. Real credentials, when present, win.
      AwsCredentialsProvider devstack =
          StaticCredentialsProvider.create(AwsBasicCredentials.create("devstack", "devstack"));
      builder.credentialsProvider(
          AwsCredentialsProviderChain.of(DefaultCredentialsProvider.create(), devstack));
    }
    if (aws.region().isEmpty() && aws.endpoint().isPresent()) {
      // The SDK insists on a region even for an endpoint override; the stand-in ignores it.
      builder.region(Region.US_EAST_1);
    }
    return builder;
  }

  /**
   * The RDS client is built on first use: apps in shared mode never call RDS, and a controller
   * without any AWS region or credentials (a shared-PostgreSQL-only cluster) must still start.
   */
  private static final class LazyRds implements RdsInstances {
    private final Supplier<RdsInstances> factory;
    private Optional<RdsInstances> built = Optional.empty();

    LazyRds(Supplier<RdsInstances> factory) {
      this.factory = factory;
    }

    private synchronized RdsInstances rds() {
      if (built.isEmpty()) {
        built = Optional.of(factory.get());
      }
      return built.get();
    }

    @Override
    public Optional<RdsInstance> describe(String identifier) {
      return rds().describe(identifier);
    }

    @Override
    public void create(NewInstance instance) {
      rds().create(instance);
    }

    @Override
    public void restore(String snapshotIdentifier, NewInstance instance) {
      rds().restore(snapshotIdentifier, instance);
    }

    @Override
    public void setMasterPassword(String identifier, String password) {
      rds().setMasterPassword(identifier, password);
    }

    @Override
    public void delete(String identifier, Optional<String> finalSnapshotIdentifier) {
      rds().delete(identifier, finalSnapshotIdentifier);
    }

    @Override
    public Map<String, String> tagged() {
      return rds().tagged();
    }
  }
}
