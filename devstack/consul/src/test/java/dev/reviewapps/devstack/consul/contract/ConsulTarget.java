package dev.reviewapps.devstack.consul.contract;

import java.net.URI;
import java.time.Duration;
import java.util.Optional;

/**
 * The Consul a contract test talks to: the stand-in by default, a real agent when {@code
 * CONSUL_HTTP_ADDR} is set.
 *
 * @param baseUrl {@code http://host:port}
 * @param token the token every request sends ({@code CONSUL_HTTP_TOKEN}), if any
 * @param standIn whether this is the stand-in
 * @param minSessionTtl the shortest TTL the target accepts ({@code session_ttl_min})
 * @param readToken a token with read on {@link #ACL_PREFIX}, when ACLs are on
 * @param writeToken a token with write on {@link #ACL_PREFIX}, when ACLs are on
 */
public record ConsulTarget(
    String baseUrl,
    Optional<String> token,
    boolean standIn,
    Duration minSessionTtl,
    Optional<String> readToken,
    Optional<String> writeToken) {

  /** The key prefix the ACL contract tests' tokens are scoped to. */
  public static final String ACL_PREFIX = "contract-acl/";

  public String host() {
    return URI.create(baseUrl).getHost();
  }

  public int port() {
    return URI.create(baseUrl).getPort();
  }

  /** Whether the target enforces ACLs (the ACL tests are skipped otherwise). */
  public boolean aclsEnabled() {
    return readToken.isPresent();
  }
}
