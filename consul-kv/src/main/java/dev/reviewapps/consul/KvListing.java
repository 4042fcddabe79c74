package dev.reviewapps.consul;

import java.util.List;

/**
 * The entries under a key or prefix and the {@code X-Consul-Index} of the answer, to pass to the
 * next blocking query.
 */
public record KvListing(List<KvEntry> entries, long index) {

  public KvListing {
    entries = List.copyOf(entries);
  }
}
