package dev.reviewapps.consul;

import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The devstack Consul stand-in on a free loopback port, with sessions allowed down to 1 s TTL so
 * that leader tests take seconds, and consul-api connections to it. For tests of every package; as
 * a static {@code @RegisterExtension} field it is closed after the class's tests.
 */
public final class RunningConsul implements AutoCloseable, AfterAllCallback {
  private final ConsulStandIn consul;
  private final java.util.List<ConsulConnection> connections = new java.util.ArrayList<>();

  public RunningConsul() {
    try {
      consul =
          ConsulStandIn.start(ConsulConfig.defaults().withSessionTtlMin(Duration.ofSeconds(1)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The stand-in's address, as {@code CONSUL_HTTP_ADDR} would hold it. */
  public URI address() {
    return URI.create(consul.baseUrl());
  }

  /** The stand-in itself. */
  public ConsulStandIn standIn() {
    return consul;
  }

  /** A new connection counting its requests in {@code registry}; closed with this. */
  public synchronized ConsulConnection connect(MeterRegistry registry) {
    ConsulConnection c =
        new ConsulConnection(new ConsulEndpoint(address(), Optional.empty()), registry);
    connections.add(c);
    return c;
  }

  /** A new connection and the store over it. */
  public KeyValueStore store() {
    return new ConsulApiStore(connect(new SimpleMeterRegistry()));
  }

  /** A new connection and the sessions over it. */
  public Sessions sessions() {
    return new ConsulApiSessions(connect(new SimpleMeterRegistry()));
  }

  @Override
  public void afterAll(ExtensionContext context) {
    close();
  }

  @Override
  public synchronized void close() {
    for (ConsulConnection c : connections) {
      try {
        c.close();
      } catch (IOException e) {
        // Closing a client of a test; nothing left to do.
      }
    }
    consul.close();
  }
}
