package dev.reviewapps.consul;

import java.util.Map;

/**
 * The {@code ModifyIndex} of each key under a prefix and the {@code X-Consul-Index} of the answer,
 * to pass to the next blocking query.
 */
public record KvVersions(Map<String, Long> modifyIndexes, long index) {

  public KvVersions {
    modifyIndexes = Map.copyOf(modifyIndexes);
  }
}
