package dev.reviewapps.consul;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One Consul KV entry: key, raw value, its {@code ModifyIndex} (the check-and-set token), the
 * session holding it, if locked, its {@code CreateIndex} (when the key was created: the order in
 * which apps were asked for; 0 when unknown) and its {@code Flags} (an opaque number a writer may
 * set: review-apps marks the keys it owns with it where the value's format is not its own).
 */
public record KvEntry(
    String key,
    byte[] value,
    long modifyIndex,
    Optional<String> session,
    long createIndex,
    long flags) {

  /** An entry without flags. */
  public KvEntry(
      String key, byte[] value, long modifyIndex, Optional<String> session, long createIndex) {
    this(key, value, modifyIndex, session, createIndex, 0);
  }

  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value == null ? new byte[0] : value.clone();
    Objects.requireNonNull(session, "session");
  }

  /** An entry whose {@code CreateIndex} is not known. */
  public KvEntry(String key, byte[] value, long modifyIndex, Optional<String> session) {
    this(key, value, modifyIndex, session, 0, 0);
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
        && session.equals(e.session)
        && createIndex == e.createIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), modifyIndex, session, createIndex);
  }

  @Override
  public String toString() {
    // Values can be large and are not ours to log; the index identifies the version.
    return "KvEntry[" + key + "@" + modifyIndex + session.map(s -> ", locked").orElse("") + "]";
  }
}
