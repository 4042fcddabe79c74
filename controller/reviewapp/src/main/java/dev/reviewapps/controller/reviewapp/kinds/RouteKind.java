package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.routes.RouteTable;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.HostTemplate;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routed: {@code routes/<host>} holds the addresses of the serving web allocations, rewritten only
 * when they differ (a rescheduled allocation, a new commit), so the router's watch wakes only for
 * real changes. Only routes that carry review-apps' mark are ever changed.
 *
 * <p>Deleted first of all, so that no request reaches a dying app. Orphans: marked route keys whose
 * host the host template can have made for an app name.
 */
public final class RouteKind implements ResourceKind {

  private static final Logger LOG = LoggerFactory.getLogger(RouteKind.class);

  private final RouteTable routes;
  private final HostTemplate hosts;
  private final Duration recheck;

  @Inject
  RouteKind(ReviewAppProviders providers, ReviewAppSettings settings) {
    this.routes = providers.routes();
    this.hosts = settings.hosts();
    this.recheck = settings.recheck();
  }

  @Override
  public String name() {
    return "route";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.of(ConditionType.Routed);
  }

  /** The app's public host name. */
  String hostOf(String app) {
    return hosts.host(new AppName(app));
  }

  @Override
  public StepOutcome ensure(Reconciliation run) {
    if (run.asleep()) {
      return withdraw(
          run,
          new StepOutcome.Degraded(
              "Sleeping",
              hostOf(run.app()) + " is routed to the wake-up path while the app sleeps"));
    }
    if (run.spec().processes().web().count() == 0) {
      // Asked for: no web process, so nothing to route to. Without this the route would keep
      // pointing at the stopped allocations and the app would wait for an upstream for ever.
      return withdraw(
          run,
          new StepOutcome.Degraded(
              "NoWebProcess", "the spec's web count is 0: " + hostOf(run.app()) + " has no route"));
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
   * An app that sleeps, or whose web count is 0, has no route: the router then answers from the
   * app's phase (a sleeping app is woken by a request). Only a route of ours is removed; the
   * inventory keeps it for the route's return.
   */
  private StepOutcome withdraw(Reconciliation run, StepOutcome.Degraded outcome) {
    String host = hostOf(run.app());
    Optional<RouteTable.Route> published = routes.route(host);
    if (published.isPresent()
        && published.get().mark() == RouteTable.Mark.OURS
        && run.inventory().has(new Resource.Route(host))) {
      routes.remove(host);
    }
    return outcome;
  }

  @Override
  public Optional<Duration> delete(Dismantling run) {
    List<Resource.Route> recorded = run.inventory().resources(Resource.Route.class);
    if (!recorded.isEmpty()) {
      run.deleting("removing the route");
    }
    for (Resource.Route route : recorded) {
      routes.remove(route.id());
      run.forget(route);
      LOG.info("teardown of {}: route {} removed", run.app(), route.id());
    }
    return Optional.empty();
  }

  @Override
  public List<OrphanSource> orphans() {
    return List.of(
        new OrphanSource(
            "route",
            () -> appsOf(routes.hosts(), hosts),
            (id, app) -> true,
            o -> routes.remove(o.id())));
  }

  /** Route hosts to their app, for hosts the template can have made. */
  static Map<String, String> appsOf(Set<String> routeHosts, HostTemplate hosts) {
    String template = hosts.template().toLowerCase(Locale.ROOT);
    int at = template.indexOf(HostTemplate.PLACEHOLDER);
    String before = template.substring(0, at);
    String after = template.substring(at + HostTemplate.PLACEHOLDER.length());
    Map<String, String> apps = new TreeMap<>();
    for (String host : routeHosts) {
      if (host.length() > before.length() + after.length()
          && host.startsWith(before)
          && host.endsWith(after)) {
        String app = host.substring(before.length(), host.length() - after.length());
        if (!app.contains(".")) {
          apps.put(host, app);
        }
      }
    }
    return apps;
  }
}
