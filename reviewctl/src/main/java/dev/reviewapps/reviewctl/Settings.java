package dev.reviewapps.reviewctl;

import java.util.Optional;

/**
 * Where Consul and Nomad are, their tokens and the KV prefix, as resolved from flags, environment
 * and defaults. {@link #toString()} never shows a token.
 */
public record Settings(
    String consul,
    Optional<String> consulToken,
    String nomad,
    Optional<String> nomadToken,
    String prefix) {

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
