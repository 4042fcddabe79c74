package dev.reviewapps.controller.reviewapp.routes;

import dev.reviewapps.controller.consul.BlockingQuery;
import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.consul.KvEntry;
import dev.reviewapps.controller.reviewapp.inventory.OwnershipConflict;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Routes in Consul KV at {@code <prefix>/routes/<host>}, the value being the plain text {@code
 * ip:port[,ip:port...]}: the format the original Lua router reads, and the one the new router
 * watches with blocking queries. Each key review-apps writes carries {@link #MARK} in its Consul
 * flags, which the router ignores.
 */
public final class ConsulRouteTable implements RouteTable {

  /** The flags of a route review-apps wrote: "RAPP" in ASCII. */
  public static final long MARK = 0x52415050L;

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

  private static Mark markOf(KvEntry entry) {
    return entry.flags() == MARK ? Mark.OURS : entry.flags() == 0 ? Mark.NONE : Mark.FOREIGN;
  }

  @Override
  public Optional<Route> route(String host) {
    return kv.get(keyOf(host)).map(e -> new Route(e.text(), markOf(e)));
  }

  @Override
  public void publish(String host, String upstreams) {
    kv.put(keyOf(host), upstreams.getBytes(StandardCharsets.UTF_8), MARK);
  }

  @Override
  public void remove(String host) {
    Optional<Route> route = route(host);
    if (route.isPresent() && route.get().mark() == Mark.FOREIGN) {
      throw new OwnershipConflict("Consul route " + host, "carries another writer's mark");
    }
    kv.delete(keyOf(host));
  }

  @Override
  public Set<String> hosts() {
    String prefix = keyOf("");
    Set<String> hosts = new HashSet<>();
    for (KvEntry entry : kv.list(prefix, BlockingQuery.NONE).entries()) {
      String host = entry.key().substring(prefix.length());
      if (!host.isEmpty() && !host.contains("/") && markOf(entry) == Mark.OURS) {
        hosts.add(host);
      }
    }
    return hosts;
  }
}
