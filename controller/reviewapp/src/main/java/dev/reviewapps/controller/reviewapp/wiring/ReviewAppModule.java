package dev.reviewapps.controller.reviewapp.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import com.google.inject.multibindings.ProvidesIntoSet;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.nomad.NomadConnection;
import dev.reviewapps.client.view.AppViews;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.engine.ChangeSource;
import dev.reviewapps.controller.engine.KvPrefix;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.git.BranchSource;
import dev.reviewapps.controller.git.GitHubBranchSource;
import dev.reviewapps.controller.git.GitLsRemoteBranchSource;
import dev.reviewapps.controller.github.GitHubApi;
import dev.reviewapps.controller.github.GitHubReporter;
import dev.reviewapps.controller.resilience.OutsideSystems;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.GuardedProviders;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.aws.AppAssets;
import dev.reviewapps.controller.reviewapp.aws.AutoScalingCapacity;
import dev.reviewapps.controller.reviewapp.aws.CapacityPlanner;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.aws.S3AppAssets;
import dev.reviewapps.controller.reviewapp.aws.SdkRdsInstances;
import dev.reviewapps.controller.reviewapp.aws.StaticCapacity;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.credentials.ConsulCredentialStore;
import dev.reviewapps.controller.reviewapp.credentials.PasswordGenerator;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardModel;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardServer;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardSettings;
import dev.reviewapps.controller.reviewapp.gc.Expiry;
import dev.reviewapps.controller.reviewapp.gc.GcRecords;
import dev.reviewapps.controller.reviewapp.gc.SpecGc;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardCheck;
import dev.reviewapps.controller.reviewapp.nomad.AllocationChanges;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.SdkNomadJobs;
import dev.reviewapps.controller.reviewapp.orphans.OrphanSweep;
import dev.reviewapps.controller.reviewapp.postgres.JdbcSharedDatabases;
import dev.reviewapps.controller.reviewapp.quota.Budget;
import dev.reviewapps.controller.reviewapp.quota.Quota;
import dev.reviewapps.controller.reviewapp.routes.ConsulRouteTable;
import dev.reviewapps.controller.reviewapp.status.FailedStatus;
import dev.reviewapps.controller.reviewapp.status.StatusWriter;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.wiring.OutsideSystemName;
import dev.reviewapps.controller.wiring.ProcessService;
import io.micrometer.core.instrument.MeterRegistry;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import org.apache.http.HttpHost;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

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
    // The mass-deletion guard decides whether a teardown may begin.
    OptionalBinder.newOptionalBinder(binder(), TeardownGate.class)
        .setBinding()
        .to(DeletionGuard.class);
    // Leader-only periodic work: spec GC (branches, TTL), the guard's re-check, orphans, and
    // sizing the cluster (the one writer of its desired capacity).
    Multibinder<LeaderTask> tasks = Multibinder.newSetBinder(binder(), LeaderTask.class);
    tasks.addBinding().to(SpecGc.class);
    tasks.addBinding().to(GuardCheck.class);
    tasks.addBinding().to(OrphanSweep.class);
    tasks.addBinding().to(CapacitySizer.class);
    // What a review app is made of, in order; ensured, deleted in reverse, swept.
    install(new ResourceKindsModule());
    // Served by every controller, leader or not: it only reads.
    Multibinder.newSetBinder(binder(), ProcessService.class).addBinding().to(DashboardServer.class);
    // A failed spec shows as phase Failed in its status, with the error.
    OptionalBinder.newOptionalBinder(binder(), TerminalErrors.class)
        .setBinding()
        .to(FailedStatus.class);
    // The systems behind the providers: their breakers and metrics exist from the start.
    Multibinder<OutsideSystemName> systems =
        Multibinder.newSetBinder(binder(), OutsideSystemName.class);
    GuardedProviders.SYSTEMS.forEach(
        name -> systems.addBinding().toInstance(new OutsideSystemName(name)));
  }

  /** A wake request ({@code wake/<name>}) queues its app at once, as a spec change does. */
  @ProvidesIntoSet
  ChangeSource wakeRequests(KeyValueStore kv, KeyLayout layout) {
    return new KvPrefix(kv, new ReviewAppKeys(layout).wakes());
  }

  /** So does a sleep request ({@code sleep/<name>}). */
  @ProvidesIntoSet
  ChangeSource sleepRequests(KeyValueStore kv, KeyLayout layout) {
    return new KvPrefix(kv, new ReviewAppKeys(layout).sleeps());
  }

  /**
   * And a change of one of its Nomad allocations (started, healthy, dead), through a client of its
   * own; with {@code nomad.watchAllocations=false}, a source that never names anything.
   */
  @ProvidesIntoSet
  ChangeSource allocationChanges(ReviewAppConfig config) {
    return config.nomad().watchAllocations()
        ? new AllocationChanges(nomad(config.nomad()))
        : ChangeSource.NONE;
  }

  @Provides
  @Singleton
  StatusWriter statusWriter(KeyValueStore store, KeyLayout layout) {
    return new StatusWriter(store, layout);
  }

  @Provides
  @Singleton
  FailedStatus failedStatus(KeyValueStore store, KeyLayout layout, StatusWriter writer) {
    return new FailedStatus(store, layout, writer);
  }

  @Provides
  @Singleton
  DashboardServer dashboard(KeyValueStore kv, KeyLayout layout, ReviewAppConfig config) {
    return new DashboardServer(
        config.dashboard(),
        new DashboardModel(
            new AppViews(kv, layout),
            nomad(config.nomad()),
            HttpHost.create(config.nomad().address().toString()),
            Clock.systemUTC()));
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

  /** The resource kinds in the order of their bindings ({@link ResourceKindsModule}). */
  @Provides
  @Singleton
  List<ResourceKind> kinds(Set<ResourceKind> kinds) {
    return List.copyOf(kinds);
  }

  @Provides
  @Singleton
  ReviewAppJobs jobs(ReviewAppConfig config) {
    return new ReviewAppJobs(config.jobs(), config.nomad().instance());
  }

  @Provides
  DatabaseSettings databaseSettings(ReviewAppConfig config) {
    return config.databases();
  }

  @Provides
  ReviewAppSettings reviewAppSettings(ReviewAppConfig config) {
    return config.reviewApps();
  }

  @Provides
  TeardownSettings teardownSettings(ReviewAppConfig config) {
    return config.teardown();
  }

  @Provides
  Clock clock() {
    return Clock.systemUTC();
  }

  @Provides
  @Singleton
  ReviewAppReconciler reconciler(
      KeyValueStore kv,
      KeyLayout layout,
      List<ResourceKind> kinds,
      ReviewAppJobs jobs,
      MeterRegistry registry,
      ReviewAppConfig config,
      TeardownGate gate,
      Quota quota,
      Expiry expiry,
      Clock clock) {
    Teardown teardown =
        new Teardown(
            kv,
            layout,
            kinds,
            config.teardown(),
            gate,
            registry,
            clock,
            Teardown.StageObserver.NONE);
    return new ReviewAppReconciler(
        kv,
        layout,
        kinds,
        jobs,
        config.databases(),
        config.reviewApps(),
        registry,
        clock,
        teardown,
        ReviewAppReconciler.StepObserver.NONE,
        new LifecyclePolicies(
            quota,
            new Budget(
                kv,
                layout,
                config.lifecycle().maxDollarsPerHour(),
                spec ->
                    config.reviewApps().costs().perHour(jobs.allocations(spec), spec.database())),
            expiry,
            config.lifecycle().quotaRecheck(),
            github(config.github(), config.dashboard())));
  }

  /**
   * The one writer of the cluster's size: the leader's task, a pass within 500 ms of a footprint
   * change and every minute anyway.
   */
  @Provides
  @Singleton
  CapacitySizer capacitySizer(KeyValueStore kv, KeyLayout layout, ReviewAppProviders providers) {
    return CapacitySizer.leaderTask(
        providers.capacity(),
        new InventoryStore(kv, layout),
        Duration.ofMillis(500),
        Duration.ofMinutes(1),
        Clock.systemUTC());
  }

  /** The GitHub reporter when a repository is configured. */
  private static Optional<GitHubReporter> github(
      ReviewAppConfig.GitHub github, DashboardSettings dashboard) {
    return github
        .repository()
        .map(
            repository ->
                new GitHubReporter(
                    new GitHubApi(
                        github.apiUrl(),
                        repository,
                        github.token().map(t -> t.value()),
                        Duration.ofMinutes(15),
                        Clock.systemUTC(),
                        d -> Thread.sleep(d.toMillis())),
                    Duration.ofMinutes(1),
                    dashboard::appPage));
  }

  /**
   * The providers with the real clients, every call guarded (shared by the reconciler, its teardown
   * and the orphan sweep).
   */
  @Provides
  @Singleton
  ReviewAppProviders providers(
      KeyValueStore kv, KeyLayout layout, OutsideSystems systems, ReviewAppConfig config) {
    ReviewAppConfig.SharedPostgres pg = config.sharedPostgres();
    ReviewAppProviders providers =
        new ReviewAppProviders(
            new ConsulCredentialStore(kv, layout, new PasswordGenerator()),
            new JdbcSharedDatabases(pg.jdbcUrl(), pg.username(), pg.password().value()),
            new LazyRds(
                () ->
                    new SdkRdsInstances(
                        aws(RdsClient.builder(), config.aws())
                            .httpClientBuilder(apacheHttp())
                            .build())),
            capacity(config),
            new SdkNomadJobs(nomad(config.nomad()), config.nomad().instance()),
            new ConsulRouteTable(kv, layout),
            assets(config));
    return GuardedProviders.wrap(providers, systems);
  }

  /**
   * The mass-deletion guard: the judge of every GC pass and, bound as the {@code TeardownGate} in
   * {@link #configure()}, of every teardown before it begins.
   */
  @Provides
  @Singleton
  DeletionGuard deletionGuard(
      KeyValueStore kv, KeyLayout layout, ReviewAppConfig config, MeterRegistry registry) {
    return new DeletionGuard(
        kv, layout, config.lifecycle().guardLimits(), registry, Clock.systemUTC());
  }

  @Provides
  @Singleton
  GuardCheck guardCheck(DeletionGuard guard, ReviewAppConfig config) {
    return new GuardCheck(guard, config.lifecycle().guardInterval());
  }

  @Provides
  @Singleton
  GcRecords gcRecords(KeyValueStore kv, KeyLayout layout) {
    return new GcRecords(kv, layout);
  }

  @Provides
  @Singleton
  Expiry expiry(GcRecords records, ReviewAppConfig config) {
    return new Expiry(records, config.lifecycle().defaultTtl(), Clock.systemUTC());
  }

  @Provides
  @Singleton
  Quota quota(KeyValueStore kv, KeyLayout layout, ReviewAppConfig config) {
    return new Quota(kv, layout, config.lifecycle().quotaMax());
  }

  @Provides
  @Singleton
  SpecGc specGc(
      KeyValueStore kv,
      KeyLayout layout,
      GcRecords records,
      Expiry expiry,
      DeletionGuard guard,
      ReviewAppConfig config,
      MeterRegistry registry) {
    return new SpecGc(
        kv,
        layout,
        branchSource(config),
        records,
        expiry,
        guard,
        config.gc().interval(),
        config.gc().grace(),
        Clock.systemUTC(),
        registry);
  }

  /** Where branches are listed; none without a repository (then only TTLs are collected). */
  static Optional<BranchSource> branchSource(ReviewAppConfig config) {
    ReviewAppConfig.Lifecycle l = config.lifecycle();
    return config
        .gc()
        .repository()
        .map(
            repository ->
                switch (l.source()) {
                  case GIT -> new GitLsRemoteBranchSource(repository, l.listingTimeout());
                  case GITHUB ->
                      new GitHubBranchSource(
                          l.githubApi(),
                          repository.substring(0, repository.indexOf('/')),
                          repository.substring(repository.indexOf('/') + 1),
                          l.githubToken().map(Secret::value),
                          l.listingTimeout());
                });
  }

  @Provides
  @Singleton
  OrphanSweep orphanSweep(
      KeyValueStore kv,
      KeyLayout layout,
      List<ResourceKind> kinds,
      ReviewAppConfig config,
      MeterRegistry registry,
      DeletionGuard guard) {
    return new OrphanSweep(
        kv,
        layout,
        kinds,
        config.lifecycle().orphansDryRun(),
        config.lifecycle().orphansInterval(),
        registry,
        guard);
  }

  private static S3Client s3(ReviewAppConfig.Aws aws) {
    S3ClientBuilder builder =
        aws(S3Client.builder(), aws)
            // Plain-HTTP endpoints (the stand-in): no aws-chunked bodies, checksums only when
            // required, as the stand-in expects; path-style, as a bucket host name would not
            // resolve there.
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .httpClientBuilder(apacheHttp());
    if (aws.endpoint().isPresent()) {
      builder.forcePathStyle(true);
    }
    return builder.build();
  }

  /**
   * The apps' S3 assets when a bucket is configured, else nothing to delete; the client is built on
   * first use (see {@link LazyAssets}).
   */
  private static AppAssets assets(ReviewAppConfig config) {
    return config
        .assets()
        .bucket()
        .<AppAssets>map(
            bucket ->
                new LazyAssets(
                    () -> new S3AppAssets(s3(config.aws()), bucket, config.assets().prefix())))
        .orElse(AppAssets.NONE);
  }

  private static NomadApiClient nomad(ReviewAppConfig.Nomad nomad) {
    return NomadConnection.connect(
        nomad.address(),
        nomad.token().map(Secret::value),
        nomad.region(),
        nomad.namespace(),
        nomad.tls());
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
                  .httpClientBuilder(apacheHttp())
                  .build(),
              c.autoScalingGroup().orElseThrow(),
              planner);
    };
  }

  /**
   * The HTTP client of every AWS client. The SDK deprecates its Apache 4 client, but it is the one
   * whose httpclient version is pinned for consul-api and nomad-sdk (the parent pom), so no second
   * HTTP stack is pulled in.
   */
  @SuppressWarnings("deprecation")
  private static ApacheHttpClient.Builder apacheHttp() {
    return ApacheHttpClient.builder();
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
          AwsCredentialsProviderChain.of(DefaultCredentialsProvider.builder().build(), devstack));
    }
    if (aws.region().isEmpty() && aws.endpoint().isPresent()) {
      // The SDK insists on a region even for an endpoint override; the stand-in ignores it.
      builder.region(Region.US_EAST_1);
    }
    return builder;
  }

  /**
   * The S3 client is built on first use, as RDS's: a controller without AWS region or credentials
   * must still start (the sweep then reports that it cannot list assets).
   */
  private static final class LazyAssets implements AppAssets {
    private final Lazy<AppAssets> assets;

    LazyAssets(Supplier<AppAssets> factory) {
      this.assets = new Lazy<>(factory);
    }

    private AppAssets assets() {
      return assets.get();
    }

    @Override
    public int deleteAll(String app) {
      return assets().deleteAll(app);
    }

    @Override
    public int count(String app) {
      return assets().count(app);
    }

    @Override
    public Set<String> apps() {
      return assets().apps();
    }
  }

  /**
   * The RDS client is built on first use: apps in shared mode never call RDS, and a controller
   * without any AWS region or credentials (a shared-PostgreSQL-only cluster) must still start.
   */
  private static final class LazyRds implements RdsInstances {
    private final Lazy<RdsInstances> rds;

    LazyRds(Supplier<RdsInstances> factory) {
      this.rds = new Lazy<>(factory);
    }

    private RdsInstances rds() {
      return rds.get();
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

  /** A value made on first use (once, whichever thread asks first). */
  private static final class Lazy<T> {
    private final Supplier<T> factory;
    private Optional<T> built = Optional.empty();

    Lazy(Supplier<T> factory) {
      this.factory = factory;
    }

    synchronized T get() {
      if (built.isEmpty()) {
        built = Optional.of(factory.get());
      }
      return built.get();
    }
  }
}
