package dev.reviewapps.controller.reviewapp.gc;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What garbage collection must remember about one app across restarts and leader changes, kept at
 * {@code <prefix>/gc/<name>}: Consul keeps no write time, so when the controller first saw the
 * spec's current version (the start of its TTL), and since when its branch has been missing (the
 * start of the grace period).
 *
 * @param specIndex the spec's ModifyIndex that {@code seenAt} belongs to (0: none yet)
 * @param seenAt when this controller first saw that version
 * @param branchMissingSince when a branch listing first lacked the app's branch; empty while it
 *     exists
 */
public record GcRecord(
    long specIndex, Optional<Instant> seenAt, Optional<Instant> branchMissingSince) {

  /** Nothing remembered yet. */
  public static final GcRecord EMPTY = new GcRecord(0, Optional.empty(), Optional.empty());

  public GcRecord {
    Objects.requireNonNull(seenAt, "seenAt");
    Objects.requireNonNull(branchMissingSince, "branchMissingSince");
  }

  /** The record with {@code specIndex} first seen at {@code at}, unless that index is known. */
  public GcRecord seen(long index, Instant at) {
    return index == specIndex && seenAt.isPresent()
        ? this
        : new GcRecord(index, Optional.of(at), branchMissingSince);
  }

  /**
   * The record with its TTL counted from {@code at} on (a sleeping app woke: a wake counts as
   * activity), unless it already counts from later.
   */
  public GcRecord renewed(Instant at) {
    return seenAt.isPresent() && !seenAt.get().isBefore(at)
        ? this
        : new GcRecord(specIndex, Optional.of(at), branchMissingSince);
  }

  /** The record with the branch missing since {@code at}, unless it was missing already. */
  public GcRecord branchMissing(Instant at) {
    return branchMissingSince.isPresent() ? this : new GcRecord(specIndex, seenAt, Optional.of(at));
  }

  /** The record with the branch present again. */
  public GcRecord branchPresent() {
    return new GcRecord(specIndex, seenAt, Optional.empty());
  }
}
