package dev.reviewapps.controller.consul;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One Consul KV entry: key, raw value, its {@code ModifyIndex} (the check-and-set token) and the
 * session holding it, if locked.
 */
public record KvEntry(String key, byte[] value, long modifyIndex, Optional<String> session) {

  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value == null ? new byte[0] : value.clone();
    Objects.requireNonNull(session, "session");
  }

  @Override
  public byte[] value() {
    return value.clone();
  }

  /** The value as UTF-8 text. */
  public String text() {
    return new String(value, StandardCharsets.UTF_8);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEntry e
        && key.equals(e.key)
        && Arrays.equals(value, e.value)
        && modifyIndex == e.modifyIndex
        && session.equals(e.session);
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), modifyIndex, session);
  }

  @Override
  public String toString() {
    // Values can be large and are not ours to log; the index identifies the version.
    return "KvEntry[" + key + "@" + modifyIndex + session.map(s -> ", locked").orElse("") + "]";
  }
}
