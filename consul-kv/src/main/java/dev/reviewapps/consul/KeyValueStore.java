package dev.reviewapps.consul;

import java.util.List;
import java.util.Optional;

/**
 * The part of Consul KV the controller uses. Every method may throw {@link ConsulUnavailable} when
 * Consul cannot be asked or refuses; "not found" and "CAS lost" are answers, not failures.
 */
public interface KeyValueStore {

  /** The entry at {@code key}, if any. */
  Optional<KvEntry> get(String key);

  /** The entry at {@code key} (zero or one) with the index, waiting as {@code query} says. */
  KvListing read(String key, BlockingQuery query);

  /** Every entry under {@code prefix} (recurse) with the index, waiting as {@code query} says. */
  KvListing list(String prefix, BlockingQuery query);

  /**
   * The {@code ModifyIndex} of every key under {@code prefix} (recurse) with the index of the
   * answer, waiting as {@code query} says: what a watch needs, without holding on to values.
   */
  KvVersions versions(String prefix, BlockingQuery query);

  /** The keys under {@code prefix}, without values. */
  List<String> keys(String prefix);

  /**
   * Writes {@code value} only if the entry's {@code ModifyIndex} is still {@code modifyIndex};
   * {@code 0} means only if the key does not exist yet.
   *
   * @return false when someone else wrote in between
   */
  boolean compareAndSet(String key, byte[] value, long modifyIndex);

  /** Writes {@code value} unconditionally. */
  void put(String key, byte[] value);

  /** Writes {@code key} with Consul's {@code flags} set to {@code flags}. */
  void put(String key, byte[] value, long flags);

  /** Deletes {@code key}; deleting a missing key is not an error. */
  void delete(String key);

  /**
   * Deletes {@code key} only if its {@code ModifyIndex} is still {@code modifyIndex} (Consul's
   * {@code DELETE ?cas=}), so that a value rewritten since it was read is kept.
   *
   * @return false when the key changed (or is gone) since it was read
   */
  boolean deleteIfUnchanged(String key, long modifyIndex);

  /**
   * Takes the lock on {@code key} for {@code session}, writing {@code value}.
   *
   * @return false when another session holds it or the lock-delay has not run out
   */
  boolean acquire(String key, byte[] value, String session);

  /**
   * Releases the lock {@code session} holds on {@code key}.
   *
   * @return false when {@code session} did not hold it
   */
  boolean release(String key, String session);
}
