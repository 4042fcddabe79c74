package dev.reviewapps.controller.engine;

import java.util.Objects;

/**
 * A Consul KV prefix whose keys are named after the objects the engine reconciles, besides {@code
 * specs/}: a change of {@code <prefix><name>} queues {@code name}. A domain binds its own (review
 * apps: the wake and sleep requests) into a Guice set; the engine watches each with a blocking
 * query of its own.
 *
 * @param prefix the full key prefix, ending in {@code /}
 */
public record WatchedPrefix(String prefix) {

  public WatchedPrefix {
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a watched prefix ends in /: " + prefix);
    }
  }
}
