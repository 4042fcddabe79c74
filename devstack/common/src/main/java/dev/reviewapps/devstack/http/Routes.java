package dev.reviewapps.devstack.http;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Method-and-path routing. A pattern is a path whose segments are literals, {@code {name}} (one
 * segment) or, last, {@code {name...}} (the rest of the path, slashes included, possibly empty).
 * The first route that matches wins; a path that matches only with another method is answered
 * {@code 405}.
 */
public final class Routes {
  private record Route(String method, String[] segments, Handler handler) {}

  /** What the router found for a request. */
  public sealed interface Match {
    /** A route matched; its path parameters are filled in. */
    record Found(Handler handler, Map<String, String> params) implements Match {}

    /** Some route has this path, none with this method. */
    record WrongMethod() implements Match {}

    /** No route has this path. */
    record NotFound() implements Match {}
  }

  private final List<Route> routes = new ArrayList<>();

  /** Adds a route; {@code method} {@code "*"} matches any method. */
  public Routes on(String method, String pattern, Handler handler) {
    routes.add(new Route(method, split(pattern), handler));
    return this;
  }

  public Routes get(String pattern, Handler handler) {
    return on("GET", pattern, handler);
  }

  public Routes put(String pattern, Handler handler) {
    return on("PUT", pattern, handler);
  }

  public Routes post(String pattern, Handler handler) {
    return on("POST", pattern, handler);
  }

  public Routes delete(String pattern, Handler handler) {
    return on("DELETE", pattern, handler);
  }

  /** Finds the route for a method and a decoded path. */
  public Match match(String method, String path) {
    boolean pathKnown = false;
    for (Route route : routes) {
      Optional<Map<String, String>> params = matchPath(route.segments(), path);
      if (params.isEmpty()) {
        continue;
      }
      if (route.method().equals("*") || route.method().equals(method)) {
        return new Match.Found(route.handler(), params.get());
      }
      pathKnown = true;
    }
    return pathKnown ? new Match.WrongMethod() : new Match.NotFound();
  }

  private static String[] split(String pattern) {
    if (!pattern.startsWith("/")) {
      throw new IllegalArgumentException("pattern must start with /: " + pattern);
    }
    return pattern.substring(1).split("/", -1);
  }

  private static Optional<Map<String, String>> matchPath(String[] segments, String path) {
    if (!path.startsWith("/")) {
      return Optional.empty();
    }
    String rest = path.substring(1);
    Map<String, String> params = new LinkedHashMap<>();
    for (int i = 0; i < segments.length; i++) {
      String segment = segments[i];
      if (segment.startsWith("{") && segment.endsWith("...}")) {
        params.put(segment.substring(1, segment.length() - 4), rest);
        return Optional.of(params);
      }
      int slash = rest.indexOf('/');
      boolean last = i == segments.length - 1;
      if (last != (slash < 0)) {
        return Optional.empty();
      }
      String part = last ? rest : rest.substring(0, slash);
      if (segment.startsWith("{") && segment.endsWith("}")) {
        if (part.isEmpty()) {
          return Optional.empty();
        }
        params.put(segment.substring(1, segment.length() - 1), part);
      } else if (!segment.equals(part)) {
        return Optional.empty();
      }
      rest = last ? "" : rest.substring(slash + 1);
    }
    return Optional.of(params);
  }
}
