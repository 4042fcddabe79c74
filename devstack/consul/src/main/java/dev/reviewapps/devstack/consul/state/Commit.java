package dev.reviewapps.devstack.consul.state;

import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * One atomic change of the state, as a Raft log entry would carry it: what blocking queries are
 * woken by and what the data directory journals. A snapshot of the whole state has the same shape.
 *
 * @param index the Raft-style index of the change
 * @param kvsIndex the KV table index after the change
 * @param sessionsIndex the sessions table index after the change
 * @param written KV entries as they are after the change
 * @param deleted deleted keys, each with its tombstone index
 * @param sessionsWritten sessions created
 * @param sessionsRemoved IDs of sessions destroyed or expired
 */
public record Commit(
    long index,
    long kvsIndex,
    long sessionsIndex,
    List<KvEntry> written,
    Map<String, Long> deleted,
    List<Session> sessionsWritten,
    List<String> sessionsRemoved) {

  public Commit {
    written = List.copyOf(written);
    deleted = Map.copyOf(deleted);
    sessionsWritten = List.copyOf(sessionsWritten);
    sessionsRemoved = List.copyOf(sessionsRemoved);
  }

  /** Whether a key accepted by {@code keys} was written or deleted. */
  public boolean touchesKey(Predicate<String> keys) {
    for (KvEntry entry : written) {
      if (keys.test(entry.key())) {
        return true;
      }
    }
    for (String key : deleted.keySet()) {
      if (keys.test(key)) {
        return true;
      }
    }
    return false;
  }

  /** Whether a session was created or removed. */
  public boolean touchesSessions() {
    return !sessionsWritten.isEmpty() || !sessionsRemoved.isEmpty();
  }
}
