package dev.reviewapps.devstack.consul;

import dev.reviewapps.devstack.consul.api.ConsulApi;
import dev.reviewapps.devstack.consul.persist.DataDirectory;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.http.StandInServer;
import java.io.IOException;
import java.time.Clock;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * A running Consul stand-in. For tests of other modules:
 *
 * <pre>{@code
 * try (ConsulStandIn consul = ConsulStandIn.start(ConsulConfig.defaults())) {
 *   String addr = consul.baseUrl();   // http://127.0.0.1:<free port>
 *   ...
 * }
 * }</pre>
 */
public final class ConsulStandIn implements AutoCloseable {
  private final ConsulState state;
  private final ConsulApi api;
  private final StandInServer server;
  private final Optional<DataDirectory> data;

  private ConsulStandIn(
      ConsulState state, ConsulApi api, StandInServer server, Optional<DataDirectory> data) {
    this.state = state;
    this.api = api;
    this.server = server;
    this.data = data;
  }

  /** Starts a stand-in; with a data directory, the state left there is restored first. */
  public static ConsulStandIn start(ConsulConfig config) throws IOException {
    ConsulState state = new ConsulState(Clock.systemUTC());
    Optional<DataDirectory> data = Optional.empty();
    if (config.dataDir().isPresent()) {
      data = Optional.of(DataDirectory.open(config.dataDir().get(), state));
    }
    ConsulApi api =
        new ConsulApi(
            state,
            config.acl(),
            config.nodeName(),
            config.datacenter(),
            config.bind(),
            config.sessionTtlMin());
    StandInServer server;
    try {
      server =
          StandInServer.start(
              "consul",
              config.bind(),
              config.port(),
              api.routes(),
              UnaryOperator.identity(),
              config.tls());
    } catch (IOException e) {
      api.close();
      state.close();
      if (data.isPresent()) {
        data.get().close();
      }
      throw e;
    }
    return new ConsulStandIn(state, api, server, data);
  }

  /** {@code http://host:port} (or {@code https://}), what {@code CONSUL_HTTP_ADDR} would hold. */
  public String baseUrl() {
    return server.baseUrl();
  }

  /** The port the stand-in listens on. */
  public int port() {
    return server.port();
  }

  /** How many blocking queries are parked right now (for tests and the bench). */
  public int parkedQueries() {
    return api.parkedQueries();
  }

  @Override
  public void close() {
    // Answer the parked blocking queries first, so the server has nothing left to wait for.
    api.close();
    server.close();
    state.close();
    data.ifPresent(
        d -> {
          try {
            d.close();
          } catch (IOException e) {
            // Every commit was flushed when it was made; closing only releases the file.
          }
        });
  }
}
