package dev.reviewapps.controller.resilience;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.consul.KvListing;
import dev.reviewapps.consul.KvVersions;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A {@link KeyValueStore} whose calls pass Consul's retry and breaker. Blocking queries do not:
 * they are long polls whose loops back off on their own, and minutes-long calls would distort the
 * breaker's view. Retrying a check-and-set or acquire whose answer was lost is safe: Consul answers
 * false to the stale CAS (the caller re-reads) and true to a session re-acquiring its own lock.
 */
public final class GuardedStore implements KeyValueStore {
  private final KeyValueStore store;
  private final OutsideSystem consul;

  public GuardedStore(KeyValueStore store, OutsideSystem consul) {
    this.store = Objects.requireNonNull(store, "store");
    this.consul = Objects.requireNonNull(consul, "consul");
  }

  @Override
  public Optional<KvEntry> get(String key) {
    return consul.call(() -> store.get(key));
  }

  @Override
  public KvListing read(String key, BlockingQuery query) {
    return query.blocks() ? store.read(key, query) : consul.call(() -> store.read(key, query));
  }

  @Override
  public KvListing list(String prefix, BlockingQuery query) {
    return query.blocks()
        ? store.list(prefix, query)
        : consul.call(() -> store.list(prefix, query));
  }

  @Override
  public KvVersions versions(String prefix, BlockingQuery query) {
    return query.blocks()
        ? store.versions(prefix, query)
        : consul.call(() -> store.versions(prefix, query));
  }

  @Override
  public List<String> keys(String prefix) {
    return consul.call(() -> store.keys(prefix));
  }

  @Override
  public boolean compareAndSet(String key, byte[] value, long modifyIndex) {
    return consul.call(() -> store.compareAndSet(key, value, modifyIndex));
  }

  @Override
  public void put(String key, byte[] value) {
    consul.run(() -> store.put(key, value));
  }

  @Override
  public void put(String key, byte[] value, long flags) {
    consul.run(() -> store.put(key, value, flags));
  }

  @Override
  public void delete(String key) {
    consul.run(() -> store.delete(key));
  }

  @Override
  public boolean deleteIfUnchanged(String key, long modifyIndex) {
    // A retried delete whose first answer was lost answers false (the key is gone): the caller
    // reads again and sees it gone, as after any lost CAS.
    return consul.call(() -> store.deleteIfUnchanged(key, modifyIndex));
  }

  @Override
  public boolean acquire(String key, byte[] value, String session) {
    return consul.call(() -> store.acquire(key, value, session));
  }

  @Override
  public boolean release(String key, String session) {
    return consul.call(() -> store.release(key, session));
  }
}
