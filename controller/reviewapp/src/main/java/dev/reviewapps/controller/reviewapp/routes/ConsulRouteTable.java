package dev.reviewapps.controller.reviewapp.routes;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
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

  /**
   * The key under {@code routes/} that tells the router how many routes there are now (the router's
   * {@code guard.lua}): an answer removing most routes at once is believed when its size is this
   * number, instead of being held as a possibly lying Consul. It is no host name, so never a route.
   */
  public static final String EXPECTED = ".expected";

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
    boolean added = kv.get(keyOf(host)).isEmpty();
    kv.put(keyOf(host), upstreams.getBytes(StandardCharsets.UTF_8), MARK);
    if (added) {
      confirmCount();
    }
  }

  @Override
  public void remove(String host) {
    Optional<Route> route = route(host);
    if (route.isPresent() && route.get().mark() == Mark.FOREIGN) {
      throw new OwnershipConflict("Consul route " + host, "carries another writer's mark");
    }
    if (route.isPresent()) {
      kv.delete(keyOf(host));
      confirmCount();
    }
  }

  /**
   * Writes {@link #EXPECTED}: the number of routes after a route came or went, counted as the
   * router counts them (every host key). Two reconciles racing may write a count one off; the
   * router then holds a mass removal until its hold expires, the safe side.
   */
  private void confirmCount() {
    long routes = kv.keys(keyOf("")).stream().flatMap(k -> hostIn(k).stream()).count();
    kv.put(keyOf(EXPECTED), Long.toString(routes).getBytes(StandardCharsets.UTF_8));
  }

  @Override
  public Set<String> hosts() {
    Set<String> hosts = new HashSet<>();
    for (KvEntry entry : kv.list(keyOf(""), BlockingQuery.NONE).entries()) {
      if (markOf(entry) == Mark.OURS) {
        hostIn(entry.key()).ifPresent(hosts::add);
      }
    }
    return hosts;
  }

  /** The host a key under {@code routes/} is the route of: none for the marker or nested keys. */
  private Optional<String> hostIn(String key) {
    String host = key.substring(keyOf("").length());
    return host.isEmpty() || host.contains("/") || host.equals(EXPECTED)
        ? Optional.empty()
        : Optional.of(host);
  }
}
