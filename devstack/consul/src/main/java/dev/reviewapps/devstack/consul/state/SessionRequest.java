package dev.reviewapps.devstack.consul.state;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** What a client asks for in {@code PUT /v1/session/create}, already validated as to form. */
public record SessionRequest(
    String name,
    String node,
    Duration lockDelay,
    Behavior behavior,
    Optional<SessionTtl> ttl,
    List<String> nodeChecks) {

  public SessionRequest {
    nodeChecks = List.copyOf(nodeChecks);
  }
}
