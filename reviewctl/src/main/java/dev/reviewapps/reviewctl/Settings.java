package dev.reviewapps.reviewctl;

import dev.reviewapps.tls.ClientTls;
import java.util.Optional;

/**
 * Where Consul and Nomad are, their tokens, TLS and the KV prefix, as resolved from flags,
 * environment and defaults. {@link #toString()} never shows a token.
 *
 * @param consulSsl {@code CONSUL_HTTP_SSL=true}: a Consul {@code host:port} means HTTPS
 * @param nomadNamespace {@code NOMAD_NAMESPACE}, for reading the apps' jobs and logs
 */
public record Settings(
    String consul,
    Optional<String> consulToken,
    boolean consulSsl,
    ClientTls consulTls,
    String nomad,
    Optional<String> nomadToken,
    Optional<String> nomadNamespace,
    ClientTls nomadTls,
    String prefix) {

  /** Plain settings without TLS or namespace (tests, and the defaults). */
  public Settings(
      String consul,
      Optional<String> consulToken,
      String nomad,
      Optional<String> nomadToken,
      String prefix) {
    this(
        consul,
        consulToken,
        false,
        ClientTls.defaults(),
        nomad,
        nomadToken,
        Optional.empty(),
        ClientTls.defaults(),
        prefix);
  }

  @Override
  public String toString() {
    return "Settings[consul="
        + consul
        + consulToken.map(t -> ", consulToken=(set)").orElse("")
        + ", nomad="
        + nomad
        + nomadToken.map(t -> ", nomadToken=(set)").orElse("")
        + ", prefix="
        + prefix
        + "]";
  }
}
