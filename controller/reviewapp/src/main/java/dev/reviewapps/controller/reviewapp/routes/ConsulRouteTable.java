package dev.reviewapps.controller.reviewapp.routes;

import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.reviewapp.guard.AppKeys;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import java.util.Set;

/**
 * Routes in Consul KV at {@code <prefix>/routes/<host>}, the value being the plain text {@code
 * ip:port[,ip:port...]}: the format the original Lua router reads, and the one the new router
 * watches with blocking queries.
 */
public final class ConsulRouteTable implements RouteTable {

  private final KeyValueStore kv;
  private final KeyLayout layout;

  public ConsulRouteTable(KeyValueStore kv, KeyLayout layout) {
    this.kv = kv;
    this.layout = layout;
  }

  /** The key of a host's route. */
  public String keyOf(String host) {
    return layout.prefix() + "routes/" + host;
  }

  @Override
  public Optional<String> upstreams(String host) {
    return kv.get(keyOf(host)).map(e -> e.text());
  }

  @Override
  public void publish(String host, String upstreams) {
    kv.put(keyOf(host), upstreams.getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public void remove(String host) {
    kv.delete(keyOf(host));
  }

  @Override
  public Set<String> hosts() {
    return AppKeys.under(kv, keyOf(""));
  }
}
