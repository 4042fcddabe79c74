package dev.reviewapps.controller.reviewapp.testing;

import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Only the devstack Consul and the real consul-api store, for tests that need no Nomad, AWS or
 * PostgreSQL. Each {@link #freshLayout()} is a prefix of its own, so tests sharing one stand-in do
 * not see each other's keys. As a static {@code @RegisterExtension} field it is closed after the
 * class's tests.
 */
public final class LocalConsul implements AutoCloseable, AfterAllCallback {
  private final ConsulStandIn consul;
  private final ConsulConnection connection;
  private final AtomicInteger prefixes = new AtomicInteger();

  /** The store, talking to the stand-in through consul-api. */
  public final KeyValueStore kv;

  /** Starts the stand-in. */
  public LocalConsul() {
    try {
      this.consul = ConsulStandIn.start(ConsulConfig.defaults());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    this.connection =
        new ConsulConnection(
            new ConsulEndpoint(URI.create(consul.baseUrl()), Optional.empty()),
            new SimpleMeterRegistry());
    this.kv = new ConsulApiStore(connection);
  }

  /** A key prefix no other test uses. */
  public KeyLayout freshLayout() {
    return new KeyLayout("t" + prefixes.incrementAndGet() + "/review-apps/");
  }

  /** Writes a text value. */
  public void put(String key, String value) {
    kv.put(key, value.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
  }

  @Override
  public void close() throws IOException {
    try (consul) {
      connection.close();
    }
  }
}
