package dev.reviewapps.controller.reviewapp.routes;

import java.util.Optional;
import java.util.Set;

/**
 * The routes the router reads: host name to {@code ip:port[,ip:port...]} of the app's web
 * allocations.
 */
public interface RouteTable {

  /** The upstreams published for {@code host}, if any. */
  Optional<String> upstreams(String host);

  /** Publishes {@code upstreams} for {@code host}, replacing what was there. */
  void publish(String host, String upstreams);

  /** Removes the route; absent is fine. */
  void remove(String host);

  /** Every host with a route, for the orphan sweep. */
  Set<String> hosts();
}
