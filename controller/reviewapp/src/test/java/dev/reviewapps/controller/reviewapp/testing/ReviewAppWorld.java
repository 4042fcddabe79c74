package dev.reviewapps.controller.reviewapp.testing;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppReconciler;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.aws.AutoScalingCapacity;
import dev.reviewapps.controller.reviewapp.aws.CapacityPlanner;
import dev.reviewapps.controller.reviewapp.aws.S3AppAssets;
import dev.reviewapps.controller.reviewapp.aws.SdkRdsInstances;
import dev.reviewapps.controller.reviewapp.capacity.CapacitySizer;
import dev.reviewapps.controller.reviewapp.credentials.ConsulCredentialStore;
import dev.reviewapps.controller.reviewapp.credentials.PasswordGenerator;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.SdkNomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.postgres.JdbcSharedDatabases;
import dev.reviewapps.controller.reviewapp.routes.ConsulRouteTable;
import dev.reviewapps.controller.reviewapp.teardown.Teardown;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.controller.reviewapp.wiring.ResourceKindsModule;
import dev.reviewapps.devstack.aws.AwsConfig;
import dev.reviewapps.devstack.aws.AwsStandIn;
import dev.reviewapps.devstack.aws.rds.RdsTiming;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.devstack.nomad.NomadConfig;
import dev.reviewapps.devstack.nomad.NomadStandIn;
import dev.reviewapps.devstack.postgres.ThrowawayPostgres;
import dev.reviewapps.model.naming.HostTemplate;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Everything a review app touches, for real and on loopback: a PostgreSQL 15 server, the devstack
 * Consul, Nomad (running raw_exec processes) and AWS (RDS instances backed by real databases on the
 * same PostgreSQL, and an Auto Scaling Group), with the real clients the controller uses.
 */
public final class ReviewAppWorld implements AutoCloseable {

  /** The Auto Scaling Group of the review apps' Nomad clients. */
  public static final String GROUP = "review-apps-nomad";

  /** The S3 bucket of the apps' assets, and the key prefix before {@code <name>/}. */
  public static final String ASSETS_BUCKET = "review-assets";

  public static final String ASSETS_PREFIX = "assets/";

  /** What the tests' specs may clone or restore: the snapshot test's {@code shop-seed-*}. */
  public static final dev.reviewapps.controller.reviewapp.DataSources DATA_SOURCES =
      new dev.reviewapps.controller.reviewapp.DataSources(
          java.util.Set.of("shop_seed"), java.util.List.of("shop-seed-*"));

  /** The key prefix in Consul. */
  public final KeyLayout layout = new KeyLayout("review-apps/");

  public final ReviewAppKeys keys = new ReviewAppKeys(layout);

  public final ThrowawayPostgres postgres;
  public final ConsulStandIn consul;
  public final NomadStandIn nomad;
  public final AwsStandIn aws;
  public final KeyValueStore kv;
  public final NomadApiClient nomadClient;
  // The allocation watch of each engine started here has a client of its own; closed in close().
  private final List<NomadApiClient> watchClients = new CopyOnWriteArrayList<>();
  // Every engine started here: stopped first in close(), so that a test's teardown is one call.
  private final List<dev.reviewapps.controller.engine.Engine> engines =
      new CopyOnWriteArrayList<>();
  public final RdsClient rds;
  public final AutoScalingClient autoScaling;
  public final S3Client s3;
  private final ConsulConnection consulConnection;

  private ReviewAppWorld(
      ThrowawayPostgres postgres, ConsulStandIn consul, NomadStandIn nomad, AwsStandIn aws) {
    this.postgres = postgres;
    this.consul = consul;
    this.nomad = nomad;
    this.aws = aws;
    this.consulConnection =
        new ConsulConnection(
            new ConsulEndpoint(URI.create(consul.baseUrl()), Optional.empty()),
            new SimpleMeterRegistry());
    this.kv = new ConsulApiStore(consulConnection);
    this.nomadClient =
        new NomadApiClient(new NomadApiConfiguration.Builder().setAddress(nomad.baseUrl()).build());
    StaticCredentialsProvider keys =
        StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));
    this.rds =
        RdsClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(keys)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    this.autoScaling =
        AutoScalingClient.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(keys)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    this.s3 =
        S3Client.builder()
            .endpointOverride(aws.endpoint())
            .region(Region.US_EAST_1)
            .credentialsProvider(keys)
            .forcePathStyle(true)
            // Plain HTTP to the stand-in: request bodies sent whole, not aws-chunked.
            .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
            .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
            .httpClientBuilder(ApacheHttpClient.builder())
            .build();
    s3.createBucket(r -> r.bucket(ASSETS_BUCKET));
    autoScaling.createAutoScalingGroup(
        r ->
            r.autoScalingGroupName(GROUP)
                .minSize(0)
                .maxSize(20)
                .desiredCapacity(0)
                .launchTemplate(t -> t.launchTemplateName("nomad-client"))
                .availabilityZones("us-east-1a"));
  }

  /** Starts everything; {@code nodeCpuMhz} is the Nomad node's schedulable CPU. */
  public static ReviewAppWorld start(int nodeCpuMhz, int nodeMemoryMb) throws IOException {
    return start(nodeCpuMhz, nodeMemoryMb, RdsTiming.fast());
  }

  /** The same, with RDS taking {@code rds} for its transitions. */
  public static ReviewAppWorld start(int nodeCpuMhz, int nodeMemoryMb, RdsTiming rds)
      throws IOException {
    ThrowawayPostgres postgres;
    try {
      postgres = ThrowawayPostgres.start();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted while starting PostgreSQL", e);
    }
    ConsulStandIn consul = ConsulStandIn.start(ConsulConfig.defaults());
    NomadStandIn nomad =
        NomadStandIn.start(
            NomadConfig.defaults().toBuilder().cpuMhz(nodeCpuMhz).memoryMb(nodeMemoryMb).build());
    AwsStandIn aws =
        AwsStandIn.start(
            AwsConfig.forTests().withRdsTiming(rds).withPostgres(postgres.adminJdbcUrl()));
    return new ReviewAppWorld(postgres, consul, nomad, aws);
  }

  /** The providers, all real clients pointed at this world. */
  public dev.reviewapps.controller.reviewapp.ReviewAppProviders providers() {
    return new dev.reviewapps.controller.reviewapp.ReviewAppProviders(
        new ConsulCredentialStore(kv, layout, new PasswordGenerator()),
        new JdbcSharedDatabases(
            postgres.jdbcUrl("postgres"), ThrowawayPostgres.ADMIN, postgres.adminPassword()),
        new SdkRdsInstances(rds),
        new AutoScalingCapacity(
            autoScaling, GROUP, new CapacityPlanner(new Footprint(4000, 8192), 0.1, 0)),
        new SdkNomadJobs(nomadClient),
        new ConsulRouteTable(kv, layout),
        assets());
  }

  /** The apps' assets in this world's S3 bucket. */
  public S3AppAssets assets() {
    return new S3AppAssets(s3, ASSETS_BUCKET, ASSETS_PREFIX);
  }

  /**
   * The reconciler on this world's providers as the tests run it: hosts {@code <name>.review.test},
   * raw_exec with the default templates, shared databases here.
   *
   * @param recheck the wait of a waiting step
   */
  public ReviewAppReconciler reconciler(
      Duration recheck,
      Clock clock,
      MeterRegistry registry,
      ReviewAppReconciler.AbsentSpec absentSpec,
      ReviewAppReconciler.StepObserver observer,
      ReviewAppReconciler.Policies policies) {
    return reconciler(
        ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
        recheck,
        clock,
        registry,
        absentSpec,
        observer,
        policies);
  }

  /** The same, with these job settings (health check interval, shutdown delay). */
  public ReviewAppReconciler reconciler(
      ReviewAppJobs.Settings jobs,
      Duration recheck,
      Clock clock,
      MeterRegistry registry,
      ReviewAppReconciler.AbsentSpec absentSpec,
      ReviewAppReconciler.StepObserver observer,
      ReviewAppReconciler.Policies policies) {
    return reconciler(
        jobs,
        new ReviewAppSettings(HOSTS, "http", recheck, Duration.ofSeconds(30), Optional.empty()),
        clock,
        registry,
        absentSpec,
        observer,
        policies);
  }

  /** The hosts of this world's apps: {@code <name>.review.test}. */
  public static final HostTemplate HOSTS = new HostTemplate("{name}.review.test");

  /** The same, with these reconciler settings (Ready recheck, sleeping). */
  public ReviewAppReconciler reconciler(
      ReviewAppJobs.Settings jobs,
      ReviewAppSettings settings,
      Clock clock,
      MeterRegistry registry,
      ReviewAppReconciler.AbsentSpec absentSpec,
      ReviewAppReconciler.StepObserver observer,
      ReviewAppReconciler.Policies policies) {
    return reconciler(
        kinds(
            jobs,
            settings,
            TeardownSettings.defaults(settings.recheck(), settings.recheck()),
            registry,
            clock),
        jobs,
        settings,
        clock,
        registry,
        absentSpec,
        observer,
        policies);
  }

  /** The same over these resource kinds (shared with a teardown built by the test). */
  public ReviewAppReconciler reconciler(
      List<ResourceKind> kinds,
      ReviewAppJobs.Settings jobs,
      ReviewAppSettings settings,
      Clock clock,
      MeterRegistry registry,
      ReviewAppReconciler.AbsentSpec absentSpec,
      ReviewAppReconciler.StepObserver observer,
      ReviewAppReconciler.Policies policies) {
    return new ReviewAppReconciler(
        kv,
        layout,
        kinds,
        new ReviewAppJobs(jobs),
        databases(),
        settings,
        registry,
        clock,
        absentSpec,
        observer,
        policies);
  }

  /** The teardown over these kinds as the controller runs it: gate open, no observer. */
  public Teardown teardown(
      List<ResourceKind> kinds, TeardownSettings settings, MeterRegistry registry) {
    return new Teardown(
        kv,
        layout,
        kinds,
        settings,
        TeardownGate.OPEN,
        registry,
        Clock.systemUTC(),
        Teardown.StageObserver.NONE);
  }

  /** The shared database server of this world, and the templates and snapshots it allows. */
  public DatabaseSettings databases() {
    return DatabaseSettings.shared(sharedEndpoint()).withDataSources(DATA_SOURCES);
  }

  /**
   * The resource kinds as the controller binds them ({@link ResourceKindsModule}), over this
   * world's providers, sizing inline.
   */
  public List<ResourceKind> kinds(
      ReviewAppJobs.Settings jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown,
      MeterRegistry registry,
      Clock clock) {
    return kinds(jobs, settings, teardown, registry, clock, providers());
  }

  /** The same over these providers (one of them replaced by the test). */
  public List<ResourceKind> kinds(
      ReviewAppJobs.Settings jobs,
      ReviewAppSettings settings,
      TeardownSettings teardown,
      MeterRegistry registry,
      Clock clock,
      ReviewAppProviders providers) {
    return ResourceKindsModule.standard(
        providers,
        new ReviewAppJobs(jobs),
        databases(),
        settings,
        teardown,
        CapacitySizer.inline(providers.capacity(), new InventoryStore(kv, layout)),
        registry,
        clock);
  }

  /**
   * The real engine over this world's Consul: spec watch (and the wake and sleep requests and
   * Nomad's allocations, as the ReviewApp module registers them), queue, {@code workers} workers,
   * and {@code terminalErrors} as the failed-status path.
   */
  public dev.reviewapps.controller.engine.Engine engine(
      dev.reviewapps.controller.engine.Reconciler reconciler,
      int workers,
      dev.reviewapps.controller.engine.TerminalErrors terminalErrors,
      dev.reviewapps.controller.engine.WorkQueueMetrics queueMetrics,
      dev.reviewapps.controller.engine.ReconcileMetrics reconcileMetrics) {
    return new dev.reviewapps.controller.engine.Engine(
        new dev.reviewapps.controller.engine.EngineSettings(
            "reviewapp",
            layout,
            workers,
            Duration.ofMillis(200),
            Duration.ofSeconds(10),
            50,
            100,
            Duration.ofSeconds(5),
            Duration.ofMinutes(10)),
        List.of(
            new dev.reviewapps.controller.engine.KvPrefix(kv, keys.wakes()),
            new dev.reviewapps.controller.engine.KvPrefix(kv, keys.sleeps()),
            // A client of its own, as in production: the long poll holds its connection.
            new dev.reviewapps.controller.reviewapp.nomad.AllocationChanges(watchClient())),
        kv,
        reconciler,
        terminalErrors,
        queueMetrics,
        reconcileMetrics);
  }

  /**
   * The whole engine, started, over the test reconciler ({@link #reconciler(Duration, Clock,
   * MeterRegistry, ReviewAppReconciler.AbsentSpec, ReviewAppReconciler.StepObserver,
   * ReviewAppReconciler.Policies)} with a 200 ms recheck and no policies) and the real
   * failed-status path: what a test of behaviour users see runs against.
   */
  public dev.reviewapps.controller.engine.Engine startEngine(
      io.micrometer.core.instrument.simple.SimpleMeterRegistry registry, int workers) {
    return startEngine(
        ReviewAppJobs.Settings.defaults(TaskDriver.RawExec.withDefaults()),
        Duration.ofMillis(200),
        registry,
        workers);
  }

  /** The same, with {@code jobs} and {@code recheck} for the reconciler. */
  public dev.reviewapps.controller.engine.Engine startEngine(
      ReviewAppJobs.Settings jobs,
      Duration recheck,
      io.micrometer.core.instrument.simple.SimpleMeterRegistry registry,
      int workers) {
    ReviewAppReconciler reconciler =
        reconciler(
            jobs,
            recheck,
            Clock.systemUTC(),
            registry,
            ReviewAppReconciler.AbsentSpec.NOTHING,
            ReviewAppReconciler.StepObserver.NONE,
            ReviewAppReconciler.Policies.NONE);
    return startEngine(reconciler, registry, workers);
  }

  /** The whole engine, started, over {@code reconciler} and the real failed-status path. */
  public dev.reviewapps.controller.engine.Engine startEngine(
      ReviewAppReconciler reconciler,
      io.micrometer.core.instrument.simple.SimpleMeterRegistry registry,
      int workers) {
    dev.reviewapps.controller.engine.Engine engine =
        engine(
            reconciler,
            workers,
            new dev.reviewapps.controller.reviewapp.status.FailedStatus(
                kv,
                layout,
                new dev.reviewapps.controller.reviewapp.status.StatusWriter(kv, layout)),
            new dev.reviewapps.controller.metrics.WorkQueueMeters(registry, "reviewapp"),
            new dev.reviewapps.controller.metrics.ReconcileMeters(registry, "reviewapp", workers));
    engines.add(engine);
    engine.start();
    return engine;
  }

  /** Writes a spec as CI would. */
  public void putSpec(String name, String json) {
    kv.put(layout.spec(name), json.getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  /** The app's status as the controller last wrote it. */
  public java.util.Optional<dev.reviewapps.model.status.ReviewAppStatus> status(String name) {
    return kv.get(layout.status(name))
        .flatMap(e -> dev.reviewapps.model.json.ReviewAppJson.parseStatus(e.value()).toOptional());
  }

  /** The Consul index of the app's spec as last written. */
  public long specIndex(String name) {
    return kv.get(layout.spec(name)).orElseThrow().modifyIndex();
  }

  /** Whether the app is Ready with the spec written at {@code index}. */
  public boolean readyAt(String name, long index) {
    return status(name)
        .map(
            s -> s.phase() == dev.reviewapps.model.status.Phase.Ready && s.observedIndex() == index)
        .orElse(false);
  }

  /** The app's route value ({@code ip:port,…}) at its host in this world. */
  public String route(String name) {
    return kv.get(layout.prefix() + "routes/" + name + ".review.test")
        .map(e -> e.text())
        .orElseThrow();
  }

  /** {@code host:port} of the shared server, as jobs reach it. */
  public String sharedEndpoint() {
    return "127.0.0.1:" + postgres.port();
  }

  /** The example app's directory (examples/app in the repository). */
  public static Path exampleApp() {
    Path here = Path.of("").toAbsolutePath();
    for (Path p = here; p != null; p = p.getParent()) {
      if (p.resolve("examples/app/bin/web").toFile().canExecute()) {
        return p.resolve("examples/app");
      }
    }
    throw new IllegalStateException("examples/app not found above " + here);
  }

  private NomadApiClient watchClient() {
    NomadApiClient client =
        new NomadApiClient(new NomadApiConfiguration.Builder().setAddress(nomad.baseUrl()).build());
    watchClients.add(client);
    return client;
  }

  @Override
  public void close() throws Exception {
    // The engines first (stopping one again is harmless), so that none reconciles while the
    // stand-ins go away; then Nomad, so that no task is left talking to a database that is going
    // away.
    for (dev.reviewapps.controller.engine.Engine engine : engines) {
      engine.stop(Duration.ofSeconds(5));
    }
    try (postgres;
        consul;
        aws;
        nomad;
        consulConnection;
        rds;
        autoScaling;
        s3) {
      for (NomadApiClient client : watchClients) {
        client.close();
      }
      nomadClient.close();
    }
  }
}
