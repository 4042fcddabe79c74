package dev.reviewapps.devstack.consul;

import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.tls.ServerTls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * How to run a Consul stand-in. Start from {@link #defaults()} and change what you need:
 *
 * <pre>{@code
 * ConsulStandIn.start(ConsulConfig.defaults().withAclRules(rules).withSessionTtlMin(Duration.ofSeconds(1)))
 * }</pre>
 *
 * @param bind the address to listen on
 * @param port the port, 0 for a free one
 * @param acl ACL rules; empty means ACLs are off and everything is allowed
 * @param dataDir where KV, sessions and indexes are kept across restarts; empty keeps them in
 *     memory only
 * @param sessionTtlMin Consul's {@code session_ttl_min}: the shortest TTL a session may ask for
 * @param nodeName the name of the one node sessions belong to
 * @param datacenter the datacenter name
 * @param tls when present, HTTPS only (and client certificates if it names a client CA)
 */
public record ConsulConfig(
    String bind,
    int port,
    Optional<AclRules> acl,
    Optional<Path> dataDir,
    Duration sessionTtlMin,
    String nodeName,
    String datacenter,
    Optional<ServerTls> tls) {

  /** Loopback, a free port, no ACLs, in memory, Consul's 10 s minimum TTL. */
  public static ConsulConfig defaults() {
    return new ConsulConfig(
        "127.0.0.1",
        0,
        Optional.empty(),
        Optional.empty(),
        Duration.ofSeconds(10),
        "devstack",
        "dc1",
        Optional.empty());
  }

  public ConsulConfig withBind(String value) {
    return new ConsulConfig(value, port, acl, dataDir, sessionTtlMin, nodeName, datacenter, tls);
  }

  public ConsulConfig withPort(int value) {
    return new ConsulConfig(bind, value, acl, dataDir, sessionTtlMin, nodeName, datacenter, tls);
  }

  public ConsulConfig withAclRules(AclRules value) {
    return new ConsulConfig(
        bind, port, Optional.of(value), dataDir, sessionTtlMin, nodeName, datacenter, tls);
  }

  /** ACL rules from a JSON file (see {@link AclRules}). */
  public ConsulConfig withAclFile(Path file) {
    try {
      return withAclRules(AclRules.load(file));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read ACL file " + file, e);
    }
  }

  public ConsulConfig withDataDir(Path value) {
    return new ConsulConfig(
        bind, port, acl, Optional.of(value), sessionTtlMin, nodeName, datacenter, tls);
  }

  public ConsulConfig withTls(Optional<ServerTls> value) {
    return new ConsulConfig(bind, port, acl, dataDir, sessionTtlMin, nodeName, datacenter, value);
  }

  public ConsulConfig withSessionTtlMin(Duration value) {
    return new ConsulConfig(bind, port, acl, dataDir, value, nodeName, datacenter, tls);
  }
}
