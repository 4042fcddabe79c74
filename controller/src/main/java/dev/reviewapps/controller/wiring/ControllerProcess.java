package dev.reviewapps.controller.wiring;

import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.Sessions;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.engine.ChangeSource;
import dev.reviewapps.controller.engine.Engine;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.engine.LeaderTasks;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.http.HealthServer;
import dev.reviewapps.controller.http.ReadinessCheck;
import dev.reviewapps.controller.leader.LeaderCallbacks;
import dev.reviewapps.controller.leader.LeaderElection;
import dev.reviewapps.controller.metrics.LeaderStatus;
import dev.reviewapps.controller.metrics.ReconcileMeters;
import dev.reviewapps.controller.metrics.WorkQueueMeters;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import jakarta.inject.Inject;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One controller process: HTTP endpoints from the start, a leader election, and an {@link Engine}
 * that exists only while this process leads. Losing leadership stops the engine at once
 * (interrupting running reconciles); winning it again starts a fresh engine, which queues every
 * name once, just as a restart would.
 *
 * <p>{@link #close()} is the graceful stop: no new work, running reconciles get the configured
 * grace period, then the lock is released (so that another controller takes over at once) and the
 * connections are closed.
 */
public final class ControllerProcess implements LeaderCallbacks, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(ControllerProcess.class);

  private final ControllerConfig config;
  private final ConsulConnection connection;
  private final KeyValueStore store;
  private final Reconciler reconciler;
  private final TerminalErrors terminalErrors;
  private final WorkQueueMeters queueMeters;
  private final ReconcileMeters reconcileMeters;
  private final PrometheusMeterRegistry registry;
  private final LeaderElection election;
  private final List<LeaderTask> leaderTasks;
  private final List<ChangeSource> sources;
  private final List<ProcessService> services;

  // Guarded by this.
  private Optional<Engine> engine = Optional.empty();
  private Optional<LeaderTasks> tasks = Optional.empty();
  private Optional<HealthServer> health = Optional.empty();
  private boolean closing;

  @Inject
  ControllerProcess(
      ControllerConfig config,
      ConsulConnection connection,
      ConsulApiStore plainStore,
      KeyValueStore store,
      Sessions sessions,
      Reconciler reconciler,
      TerminalErrors terminalErrors,
      WorkQueueMeters queueMeters,
      ReconcileMeters reconcileMeters,
      PrometheusMeterRegistry registry,
      Set<LeaderTask> leaderTasks,
      Set<ChangeSource> sources,
      Set<ProcessService> services) {
    this.config = config;
    this.services = List.copyOf(services);
    this.leaderTasks = List.copyOf(leaderTasks);
    this.sources = List.copyOf(sources);
    this.connection = connection;
    this.store = store;
    this.reconciler = reconciler;
    this.terminalErrors = terminalErrors;
    this.queueMeters = queueMeters;
    this.reconcileMeters = reconcileMeters;
    this.registry = registry;
    this.election = new LeaderElection(plainStore, sessions, config.leader(), this);
    LeaderStatus.register(registry, config.engine().controller(), election::isLeader);
  }

  /** Serves the endpoints and starts campaigning. */
  public void start() {
    HealthServer server;
    try {
      server = HealthServer.start(config.http(), registry, readinessChecks());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot listen on " + config.http().bind() + ":" + config.http().port(), e);
    }
    synchronized (this) {
      health = Optional.of(server);
    }
    for (ProcessService service : services) {
      try {
        service.start();
      } catch (IOException e) {
        server.close();
        services.forEach(ProcessService::close);
        throw new UncheckedIOException(e.getMessage(), e);
      }
    }
    election.start();
    log.info(
        "controller {} started as {}, reconciler {}",
        config.engine().controller(),
        config.leader().identity(),
        reconciler.getClass().getSimpleName());
  }

  private List<ReadinessCheck> readinessChecks() {
    Duration ttl = config.leader().ttl();
    return List.of(
        new ReadinessCheck(
            "consul",
            () ->
                election
                    .sinceLastContact()
                    .map(
                        since ->
                            since.compareTo(ttl) <= 0
                                ? Optional.<String>empty()
                                : Optional.of("no answer for " + since.toSeconds() + " s"))
                    .orElse(Optional.of("not reached yet"))),
        new ReadinessCheck(
            "leadership",
            () ->
                election.leadershipKnown()
                    ? Optional.empty()
                    : Optional.of("not known yet whether this process leads")));
  }

  /** The port of the HTTP endpoints. */
  public synchronized int httpPort() {
    return health.orElseThrow().port();
  }

  /** True while this process leads and its engine runs. */
  public boolean isLeader() {
    return election.isLeader();
  }

  @Override
  public void startedLeading() {
    Engine next;
    LeaderTasks nextTasks;
    synchronized (this) {
      if (closing) {
        return;
      }
      next =
          new Engine(
              config.engine(),
              sources,
              store,
              reconciler,
              terminalErrors,
              queueMeters,
              reconcileMeters);
      engine = Optional.of(next);
      nextTasks = new LeaderTasks(leaderTasks, registry);
      tasks = Optional.of(nextTasks);
    }
    next.start();
    nextTasks.start();
  }

  @Override
  public void stoppedLeading() {
    Optional<Engine> current;
    Optional<LeaderTasks> currentTasks;
    synchronized (this) {
      current = engine;
      engine = Optional.empty();
      currentTasks = tasks;
      tasks = Optional.empty();
    }
    // Another controller may own the lock soon: interrupt running reconciles and tasks now.
    currentTasks.ifPresent(LeaderTasks::stop);
    current.ifPresent(e -> e.stop(Duration.ZERO));
  }

  @Override
  public void close() {
    Optional<Engine> current;
    synchronized (this) {
      if (closing) {
        return;
      }
      closing = true;
      current = engine;
      // From here on a step-down finds no engine: this stop is the graceful one.
      engine = Optional.empty();
      tasks.ifPresent(LeaderTasks::stop);
      tasks = Optional.empty();
    }
    log.info("stopping: running reconciles get up to {}", config.shutdownGrace());
    current.ifPresent(e -> e.stop(config.shutdownGrace()));
    election.close();
    Optional<HealthServer> server;
    synchronized (this) {
      server = health;
    }
    server.ifPresent(HealthServer::close);
    services.forEach(ProcessService::close);
    try {
      connection.close();
    } catch (IOException e) {
      log.debug("closing the Consul connection: {}", e.getMessage());
    }
    log.info("stopped");
  }

  /** For tests: dies like a killed process, releasing nothing; its session expires in Consul. */
  void kill() {
    synchronized (this) {
      closing = true;
    }
    election.abandon();
    health.ifPresent(HealthServer::close);
    services.forEach(ProcessService::close);
    try {
      connection.close();
    } catch (IOException e) {
      log.debug("closing the Consul connection: {}", e.getMessage());
    }
  }
}
