package dev.reviewapps.devstack.nomad;

import dev.reviewapps.devstack.http.Routes;
import dev.reviewapps.devstack.http.StandInServer;
import dev.reviewapps.devstack.nomad.api.NomadHttpApi;
import dev.reviewapps.devstack.nomad.cluster.Cluster;
import dev.reviewapps.devstack.nomad.cluster.NodeConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Nomad stand-in in this JVM: {@code NomadStandIn.start(NomadConfig.defaults())}, point a client
 * at {@link #baseUrl()}, {@link #close()} when done. Closing stops every task (kill signal, grace,
 * then {@code SIGKILL}); a JVM shutdown hook does the same if the JVM exits first.
 */
public final class NomadStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(NomadStandIn.class);

  private final NomadConfig config;
  private final Cluster cluster;
  private final StandInServer server;
  private final ScheduledThreadPoolExecutor timer;
  private final Optional<Path> ownedDataDir;
  private final Thread shutdownHook;
  private final AtomicBoolean closed = new AtomicBoolean();

  private NomadStandIn(
      NomadConfig config,
      Cluster cluster,
      StandInServer server,
      ScheduledThreadPoolExecutor timer,
      Optional<Path> ownedDataDir) {
    this.config = config;
    this.cluster = cluster;
    this.server = server;
    this.timer = timer;
    this.ownedDataDir = ownedDataDir;
    this.shutdownHook = new Thread(this::stop, "devstack-nomad-shutdown");
    Runtime.getRuntime().addShutdownHook(shutdownHook);
  }

  /** Starts a stand-in; it serves at once. */
  public static NomadStandIn start(NomadConfig config) throws IOException {
    Optional<Path> owned =
        config.dataDir().isPresent()
            ? Optional.empty()
            : Optional.of(Files.createTempDirectory("devstack-nomad-"));
    Path dataDir = config.dataDir().orElseGet(owned::get);
    Files.createDirectories(dataDir);
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            4,
            r -> {
              Thread t = new Thread(r, "devstack-nomad-timer");
              t.setDaemon(true);
              return t;
            });
    timer.setRemoveOnCancelPolicy(true);
    String address = InetAddress.getByName(config.host()).getHostAddress();
    NodeConfig node =
        new NodeConfig(
            UUID.randomUUID().toString(),
            "devstack-nomad",
            config.datacenter(),
            "global",
            address,
            config.cpuMhz(),
            config.memoryMb(),
            config.minDynamicPort(),
            config.maxDynamicPort());
    Cluster cluster = new Cluster(node, dataDir, config.images(), timer);
    AtomicReference<StandInServer> serverRef = new AtomicReference<>();
    NomadHttpApi api =
        new NomadHttpApi(
            cluster,
            () ->
                address
                    + ":"
                    + Optional.ofNullable(serverRef.get())
                        .map(StandInServer::port)
                        .orElse(config.port()));
    StandInServer server =
        StandInServer.start(
            "nomad",
            config.host(),
            config.port(),
            api.routes(new Routes()),
            NomadHttpApi.decorator(),
            config.tls());
    serverRef.set(server);
    return new NomadStandIn(config, cluster, server, timer, owned);
  }

  /** {@code http://host:port}, for {@code NOMAD_ADDR}. */
  public String baseUrl() {
    return server.baseUrl();
  }

  public int port() {
    return server.port();
  }

  public NomadConfig config() {
    return config;
  }

  /**
   * The process IDs of running tasks by allocation ID and task name; each is the task's process
   * group and session ID. For tests that check what runs on the host.
   */
  public Map<String, Map<String, Long>> taskPids() {
    return cluster.taskPids();
  }

  /** How many blocking queries are parked now, waiting for a change. */
  public int parkedQueries() {
    return cluster.parkedQueries();
  }

  /** Stops every task and the server, and removes its temporary data directory. */
  @Override
  public void close() {
    stop();
    try {
      Runtime.getRuntime().removeShutdownHook(shutdownHook);
    } catch (IllegalStateException e) {
      // The JVM is shutting down; the hook is running or has run.
    }
  }

  private void stop() {
    if (!closed.compareAndSet(false, true)) {
      return;
    }
    cluster.close(config.shutdownGrace());
    server.close();
    timer.shutdownNow();
    ownedDataDir.ifPresent(NomadStandIn::deleteTree);
    log.info("nomad stand-in stopped");
  }

  private static void deleteTree(Path root) {
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException | UncheckedIOException e) {
      log.debug("could not delete {}: {}", root, e.toString());
    }
  }
}
