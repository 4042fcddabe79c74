package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.inventory.Resource;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.routes.RouteTable;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.HostTemplate;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.Optional;

/**
 * Routed: {@code routes/<host>} holds the addresses of the serving web allocations, rewritten only
 * when they differ (a rescheduled allocation, a new commit), so the router's watch wakes only for
 * real changes.
 */
final class RouteStep implements Step {

  private final RouteTable routes;
  private final HostTemplate hosts;
  private final Duration recheck;

  RouteStep(RouteTable routes, HostTemplate hosts, Duration recheck) {
    this.routes = routes;
    this.hosts = hosts;
    this.recheck = recheck;
  }

  @Override
  public ConditionType condition() {
    return ConditionType.Routed;
  }

  /** The app's public host name. */
  String hostOf(String app) {
    return hosts.host(new AppName(app));
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    if (run.asleep()) {
      return withdraw(run);
    }
    if (run.webAddresses().isEmpty()) {
      return new StepOutcome.Waiting("NoUpstream", "no web allocation is serving", recheck);
    }
    String host = hostOf(run.app());
    String upstreams = String.join(",", run.webAddresses());
    Optional<RouteTable.Route> published = routes.route(host);
    // Checked before the inventory records it: a route the app never wrote is never its own, so
    // its teardown will not remove it either. An unmarked route the inventory already holds is
    // the app's from before the marks, and is marked now.
    boolean adopted = run.inventory().has(new Resource.Route(host));
    if (published.isPresent()
        && published.get().mark() != RouteTable.Mark.OURS
        && !(published.get().mark() == RouteTable.Mark.NONE && adopted)) {
      throw new OwnershipConflict(
          "Consul route " + host,
          published.get().mark() == RouteTable.Mark.NONE
              ? "exists without review-apps' mark"
              : "carries another writer's mark");
    }
    run.record(new Resource.Route(host));
    if (!published.equals(Optional.of(new RouteTable.Route(upstreams, RouteTable.Mark.OURS)))) {
      routes.publish(host, upstreams);
    }
    return new StepOutcome.Ready("Published", host + " -> " + upstreams);
  }

  /**
   * A sleeping app has no route: the router then sees the phase {@code Sleeping} and wakes the app
   * on a request. Only a route of ours is removed; the inventory keeps it for the wake.
   */
  private StepOutcome withdraw(Reconciliation run) {
    String host = hostOf(run.app());
    Optional<RouteTable.Route> published = routes.route(host);
    if (published.isPresent()
        && published.get().mark() == RouteTable.Mark.OURS
        && run.inventory().has(new Resource.Route(host))) {
      routes.remove(host);
    }
    return new StepOutcome.Degraded(
        "Sleeping", host + " is routed to the wake-up path while the app sleeps");
  }
}
