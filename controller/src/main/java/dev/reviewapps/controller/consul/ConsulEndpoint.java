package dev.reviewapps.controller.consul;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Consul is and the ACL token to send. {@link #toString()} never shows the token.
 *
 * @param address the agent's HTTP address, such as {@code http://127.0.0.1:8500}
 */
public record ConsulEndpoint(URI address, Optional<String> token) {

  public ConsulEndpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(token, "token");
    if (address.getHost() == null || !("http".equals(address.getScheme()))) {
      throw new IllegalArgumentException(
          "Consul address must be http://host:port (TLS is not supported yet): " + address);
    }
  }

  /**
   * Parses {@code CONSUL_HTTP_ADDR}-style addresses: {@code host:port} or {@code http://host:port}.
   */
  public static URI parseAddress(String text) {
    String withScheme = text.contains("://") ? text : "http://" + text;
    URI uri = URI.create(withScheme);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("not a host:port or URL: " + text);
    }
    return uri;
  }

  /** The port, defaulting to Consul's 8500. */
  public int port() {
    return address.getPort() > 0 ? address.getPort() : 8500;
  }

  @Override
  public String toString() {
    return "ConsulEndpoint[" + address + token.map(t -> ", token=(set)").orElse("") + "]";
  }
}
