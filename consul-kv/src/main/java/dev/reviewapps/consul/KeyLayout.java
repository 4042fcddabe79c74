package dev.reviewapps.consul;

import java.util.Objects;

/**
 * Where an engine's objects live in Consul KV under the configurable prefix (default {@code
 * review-apps/}): {@code specs/<name>}, {@code status/<name>}, {@code inventory/<name>} and the
 * {@code leader} lock. A domain's own keys under the same prefix are the domain's (for review apps,
 * {@code ReviewAppKeys}); {@link #key(String)} places them.
 */
public record KeyLayout(String prefix) {

  public KeyLayout {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty() || prefix.startsWith("/")) {
      throw new IllegalArgumentException("prefix must be non-empty and relative: " + prefix);
    }
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
  }

  public String specs() {
    return prefix + "specs/";
  }

  public String statuses() {
    return prefix + "status/";
  }

  public String inventories() {
    return prefix + "inventory/";
  }

  public String spec(String name) {
    return specs() + name;
  }

  public String status(String name) {
    return statuses() + name;
  }

  public String inventory(String name) {
    return inventories() + name;
  }

  public String leader() {
    return prefix + "leader";
  }

  /** {@code <prefix><relative>}: a key of the domain's own under this prefix. */
  public String key(String relative) {
    if (relative.isEmpty() || relative.startsWith("/")) {
      throw new IllegalArgumentException("key must be non-empty and relative: " + relative);
    }
    return prefix + relative;
  }
}
