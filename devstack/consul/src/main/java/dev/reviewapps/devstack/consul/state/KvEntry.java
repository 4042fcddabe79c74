package dev.reviewapps.devstack.consul.state;

import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * One KV entry as Consul stores it. The value array is never modified after construction; an empty
 * array is Consul's {@code "Value": null}.
 *
 * @param key the full key, without a leading slash
 * @param value the raw value bytes
 * @param flags the opaque 64-bit flags clients attach
 * @param session the session holding the lock on this key, if any
 * @param lockIndex how many times a lock on this key was acquired
 * @param createIndex the index at which the key was created
 * @param modifyIndex the index of the last change of this key
 */
public record KvEntry(
    String key,
    byte[] value,
    long flags,
    Optional<String> session,
    long lockIndex,
    long createIndex,
    long modifyIndex) {

  public KvEntry {
    Objects.requireNonNull(key, "key");
    value = value == null ? new byte[0] : value;
    Objects.requireNonNull(session, "session");
  }

  /** The same entry without its value: Consul's transaction results for write verbs. */
  public KvEntry withoutValue() {
    return new KvEntry(key, new byte[0], flags, session, lockIndex, createIndex, modifyIndex);
  }

  KvEntry withModifyIndex(long index) {
    return new KvEntry(key, value, flags, session, lockIndex, createIndex, index);
  }

  /**
   * Consul's {@code DirEntry.Equal}: a write that changes none of these keeps the old ModifyIndex
   * and wakes nobody.
   */
  boolean sameContent(KvEntry other) {
    return lockIndex == other.lockIndex
        && key.equals(other.key)
        && flags == other.flags
        && Arrays.equals(value, other.value)
        && session.equals(other.session);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof KvEntry other
        && sameContent(other)
        && createIndex == other.createIndex
        && modifyIndex == other.modifyIndex;
  }

  @Override
  public int hashCode() {
    return Objects.hash(key, Arrays.hashCode(value), flags, session, lockIndex, modifyIndex);
  }

  @Override
  public String toString() {
    // Values may hold secrets (database URLs); never print them.
    return "KvEntry[key="
        + key
        + ", bytes="
        + value.length
        + ", flags="
        + flags
        + ", session="
        + session.orElse("")
        + ", lockIndex="
        + lockIndex
        + ", createIndex="
        + createIndex
        + ", modifyIndex="
        + modifyIndex
        + "]";
  }
}
