package dev.reviewapps.controller.reviewapp.routes;

import java.util.Optional;
import java.util.Set;

/**
 * The routes the router reads: host name to {@code ip:port[,ip:port...]} of the app's web
 * allocations. The value's format is the router's, so the ownership mark lives beside it (Consul's
 * key flags): a route review-apps wrote says so.
 */
public interface RouteTable {

  /** Who wrote a route, by its mark. */
  enum Mark {
    /** review-apps' mark. */
    OURS,
    /** No mark: written by hand, or by a version before the marks. */
    NONE,
    /** Another writer's mark. */
    FOREIGN
  }

  /** A published route. */
  record Route(String upstreams, Mark mark) {}

  /** The route published for {@code host}, if any. */
  Optional<Route> route(String host);

  /** The upstreams published for {@code host}, if any. */
  default Optional<String> upstreams(String host) {
    return route(host).map(Route::upstreams);
  }

  /**
   * Publishes {@code upstreams} for {@code host} with review-apps' mark, replacing what was there.
   */
  void publish(String host, String upstreams);

  /**
   * Removes the route; absent is fine. A route with another writer's mark is refused ({@link
   * dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict}); an unmarked one is removed,
   * as the caller removes only routes its app's inventory recorded.
   */
  void remove(String host);

  /** Every host with a route carrying review-apps' mark, for the orphan sweep. */
  Set<String> hosts();
}
