package dev.reviewapps.devstack.consul.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A Consul session: what locks are held by, and what is invalidated on TTL expiry or destroy.
 *
 * @param id the UUID clients pass to {@code ?acquire=} and {@code ?release=}
 * @param name a free-form name
 * @param node the node the session belongs to (the stand-in has one node)
 * @param lockDelay how long keys stay unlockable after the session is invalidated
 * @param behavior release or delete the held keys on invalidation
 * @param ttl the TTL, if the session has one
 * @param nodeChecks the node health checks the session is bound to
 * @param createIndex the index at which the session was created
 * @param modifyIndex equal to createIndex: sessions are immutable in Consul
 */
public record Session(
    String id,
    String name,
    String node,
    Duration lockDelay,
    Behavior behavior,
    Optional<SessionTtl> ttl,
    List<String> nodeChecks,
    long createIndex,
    long modifyIndex) {

  public Session {
    nodeChecks = List.copyOf(nodeChecks);
  }
}
