package dev.reviewapps.reviewctl;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ReviewAppStatus;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A devstack Consul, a store to look at it with, and a reviewctl pointed at it. As a static
 * {@code @RegisterExtension} field it starts before a class's tests and stops after them.
 */
final class ConsulWorld implements AutoCloseable, BeforeAllCallback, AfterAllCallback {
  ConsulStandIn consul;
  KeyValueStore kv;
  final KeyLayout layout = new KeyLayout("review-apps/");
  final ReviewAppKeys keys = new ReviewAppKeys(layout);
  private ConsulConnection connection;

  private void open(ConsulStandIn standIn, Optional<String> token) {
    this.consul = standIn;
    this.connection =
        new ConsulConnection(
            new ConsulEndpoint(URI.create(standIn.baseUrl()), token), new SimpleMeterRegistry());
    this.kv = new ConsulApiStore(connection);
  }

  static ConsulWorld start() throws IOException {
    ConsulWorld world = new ConsulWorld();
    world.open(ConsulStandIn.start(ConsulConfig.defaults()), Optional.empty());
    return world;
  }

  /** With ACLs on; the test store uses {@code token}. */
  static ConsulWorld start(ConsulConfig config, String token) throws IOException {
    ConsulWorld world = new ConsulWorld();
    world.open(ConsulStandIn.start(config), Optional.of(token));
    return world;
  }

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    open(ConsulStandIn.start(ConsulConfig.defaults()), Optional.empty());
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    close();
  }

  /** reviewctl with CONSUL_HTTP_ADDR as host:port, the way a shell would set it. */
  Cli cli() {
    return new Cli(Map.of("CONSUL_HTTP_ADDR", "127.0.0.1:" + consul.port()));
  }

  /** Plays the controller: writes status. */
  void writeStatus(String name, ReviewAppStatus status) {
    kv.put(layout.status(name), ReviewAppJson.writeStatus(status));
  }

  long specIndex(String name) {
    return kv.get(layout.spec(name)).orElseThrow().modifyIndex();
  }

  Optional<String> text(String key) {
    return kv.get(key).map(e -> new String(e.value(), StandardCharsets.UTF_8));
  }

  @Override
  public void close() throws IOException {
    connection.close();
    consul.close();
  }
}
