package dev.reviewapps.devstack.http;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One HTTP request as a stand-in sees it.
 *
 * @param method the HTTP method, upper case
 * @param path the decoded path, without the query
 * @param rawPath the path as sent, percent-encoding kept
 * @param query every query parameter in order of appearance; a bare flag such as {@code ?recurse}
 *     has the value {@code ""}
 * @param headers header names lower-cased, each with its values in order
 * @param body the request body, empty when there is none
 * @param pathParams values captured by {@code {name}} and {@code {name...}} segments of the route
 * @param remoteAddress the client's IP address
 */
public record Exchange(
    String method,
    String path,
    String rawPath,
    Map<String, List<String>> query,
    Map<String, List<String>> headers,
    byte[] body,
    Map<String, String> pathParams,
    String remoteAddress) {

  /**
   * The first value of a query parameter. Some clients (nomad-sdk) send a parameter twice; Nomad
   * takes the first, and so do we.
   */
  public Optional<String> param(String name) {
    List<String> values = query.get(name);
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** Whether a query parameter is present, with or without a value ({@code ?recurse}). */
  public boolean hasParam(String name) {
    return query.containsKey(name);
  }

  /** The first value of a header; the name is matched case-insensitively. */
  public Optional<String> header(String name) {
    List<String> values = headers.get(name.toLowerCase(java.util.Locale.ROOT));
    return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
  }

  /** A value captured from the route's path pattern. */
  public String pathParam(String name) {
    String value = pathParams.get(name);
    if (value == null) {
      throw new IllegalArgumentException("route has no path parameter " + name);
    }
    return value;
  }

  /** The body decoded as UTF-8. */
  public String bodyText() {
    return new String(body, StandardCharsets.UTF_8);
  }

  /** A copy with the given path parameters, used by the router once a route matched. */
  Exchange withPathParams(Map<String, String> params) {
    return new Exchange(method, path, rawPath, query, headers, body, params, remoteAddress);
  }
}
