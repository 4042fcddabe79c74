package dev.reviewapps.controller.reviewapp.gc;

import dev.reviewapps.model.spec.Ttl;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a spec expires: its {@code ttl} (or the configured default) after the controller first saw
 * its current version, or after the app last woke from sleep if that is later. Consul keeps no
 * write time, so the first sighting of each ModifyIndex is recorded in the app's {@link GcRecord}:
 * a restarted controller or a new leader does not extend the TTL. The reconciler (for status {@code
 * expiresAt}) and the garbage-collection pass share one instance, so a sighting is read from Consul
 * once per version.
 */
public final class Expiry {
  private final GcRecords records;
  private final Optional<Duration> defaultTtl;
  private final Clock clock;
  private final Map<String, Sighting> sightings = new ConcurrentHashMap<>();

  private record Sighting(long index, Instant at) {}

  /**
   * @param defaultTtl the TTL of specs that name none; empty: they never expire
   */
  public Expiry(GcRecords records, Optional<Duration> defaultTtl, Clock clock) {
    this.records = records;
    this.defaultTtl = defaultTtl;
    this.clock = clock;
  }

  /**
   * When the spec version {@code specIndex} of {@code app} expires, or empty when neither the spec
   * ({@code ttl}) nor the configuration sets a TTL.
   */
  public Optional<Instant> expiresAt(String app, long specIndex, Optional<Ttl> ttl) {
    Optional<Duration> length = ttl.map(Ttl::duration).or(() -> defaultTtl);
    return length.map(l -> firstSeen(app, specIndex).plus(l));
  }

  /** When this version was first seen; recorded now if it is new. */
  public Instant firstSeen(String app, long specIndex) {
    Sighting known = sightings.get(app);
    if (known != null && known.index() == specIndex) {
      return known.at();
    }
    Instant now = clock.instant();
    GcRecord record = records.update(app, r -> r.seen(specIndex, now));
    Instant at = record.seenAt().orElse(now);
    sightings.put(app, new Sighting(specIndex, at));
    return at;
  }

  /**
   * Counts the TTL of the app's current spec version from now: the app woke, and a wake is
   * activity. Recorded in the app's {@link GcRecord}, so the GC pass and a new leader see it.
   */
  public void renew(String app) {
    GcRecord record = records.update(app, r -> r.renewed(clock.instant()));
    record.seenAt().ifPresent(at -> sightings.put(app, new Sighting(record.specIndex(), at)));
  }

  /**
   * Takes the first sightings from records read in bulk (a new leader's first pass), so that each
   * is not read again one by one.
   */
  public void remember(Map<String, GcRecord> records) {
    records.forEach(
        (app, r) ->
            r.seenAt()
                .ifPresent(at -> sightings.putIfAbsent(app, new Sighting(r.specIndex(), at))));
  }

  /** Forgets an app whose spec is gone. */
  public void forget(String app) {
    sightings.remove(app);
  }
}
