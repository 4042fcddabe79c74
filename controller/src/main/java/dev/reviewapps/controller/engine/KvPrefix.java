package dev.reviewapps.controller.engine;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvVersions;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * The keys directly under a Consul KV prefix as a {@link ChangeSource}: a key {@code
 * <prefix><name>} names {@code name}; folders and keys nested deeper name nothing. The engine
 * watches {@code specs/} so; a domain binds its own (review apps: the wake and sleep requests).
 *
 * @param prefix the full key prefix, ending in {@code /}
 */
public record KvPrefix(KeyValueStore kv, String prefix) implements ChangeSource {

  public KvPrefix {
    Objects.requireNonNull(kv, "kv");
    Objects.requireNonNull(prefix, "prefix");
    if (!prefix.endsWith("/")) {
      throw new IllegalArgumentException("a watched prefix ends in /: " + prefix);
    }
  }

  @Override
  public String describe() {
    return prefix;
  }

  @Override
  public Listing list(long index, Duration wait) {
    KvVersions versions = kv.versions(prefix, new BlockingQuery(index, wait));
    return new Listing(versions.index(), versions.modifyIndexes());
  }

  @Override
  public Optional<String> nameOf(String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    String name = key.substring(prefix.length());
    return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(name);
  }
}
