package dev.reviewapps.consul;

import dev.reviewapps.tls.ClientTls;
import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * Where Consul is, the ACL token to send and how to speak TLS to it. {@link #toString()} never
 * shows the token.
 *
 * @param address the agent's address, such as {@code http://127.0.0.1:8500} or {@code
 *     https://consul.internal:8501}
 * @param tls used when the address is {@code https://}
 */
public record ConsulEndpoint(URI address, Optional<String> token, ClientTls tls) {

  public ConsulEndpoint {
    Objects.requireNonNull(address, "address");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(tls, "tls");
    if (address.getHost() == null
        || !("http".equals(address.getScheme()) || "https".equals(address.getScheme()))) {
      throw new IllegalArgumentException(
          "Consul address must be http://host:port or https://host:port: " + address);
    }
  }

  /** Plain HTTP, or HTTPS with verification against the JDK's CAs. */
  public ConsulEndpoint(URI address, Optional<String> token) {
    this(address, token, ClientTls.defaults());
  }

  /** Whether the agent is spoken to over TLS. */
  public boolean https() {
    return "https".equals(address.getScheme());
  }

  /**
   * Parses {@code CONSUL_HTTP_ADDR}-style addresses: {@code host:port}, {@code http://host:port} or
   * {@code https://host:port}.
   */
  public static URI parseAddress(String text) {
    return parseAddress(text, false);
  }

  /**
   * As {@link #parseAddress(String)}; {@code ssl} ({@code CONSUL_HTTP_SSL=true}) makes a {@code
   * host:port} without scheme {@code https://}, as the consul CLI does.
   */
  public static URI parseAddress(String text, boolean ssl) {
    String withScheme = text.contains("://") ? text : (ssl ? "https://" : "http://") + text;
    URI uri = URI.create(withScheme);
    if (uri.getHost() == null) {
      throw new IllegalArgumentException("not a host:port or URL: " + text);
    }
    return uri;
  }

  /** The port, defaulting to Consul's 8500 (8501 for HTTPS). */
  public int port() {
    return address.getPort() > 0 ? address.getPort() : https() ? 8501 : 8500;
  }

  @Override
  public String toString() {
    return "ConsulEndpoint[" + address + token.map(t -> ", token=(set)").orElse("") + "]";
  }
}
