package dev.reviewapps.controller.engine;

import dev.reviewapps.controller.consul.BlockingQuery;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.consul.KvVersions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns changes under a prefix such as {@code <prefix>/specs/} into names, with blocking queries as
 * the Consul documentation prescribes:
 *
 * <ul>
 *   <li>the same {@code X-Consul-Index} back means nothing new (a timeout or idempotent write);
 *   <li>an index that goes backwards (a restored snapshot, a new cluster) resets the index to 0;
 *   <li>errors back off with jitter, and reset after any success;
 *   <li>never more than one call per {@link #MIN_INTERVAL}, however fast Consul answers.
 * </ul>
 *
 * Each answer is compared key by key on {@code ModifyIndex} with the previous one; only the names
 * of changed, new and deleted specs are handed on. The first answer hands on every name.
 */
public final class SpecWatch {
  /** The least time between two calls, so that a flapping index cannot make a busy loop. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(SpecWatch.class);

  private final KeyValueStore kv;
  private final String prefix;
  private final Duration wait;
  private final WatchBackoff backoff;
  private final Consumer<String> changed;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;

  public SpecWatch(KeyValueStore kv, String prefix, Duration wait, Consumer<String> changed) {
    this(
        kv,
        prefix,
        wait,
        new WatchBackoff(Duration.ofMillis(200), Duration.ofSeconds(30)),
        changed);
  }

  SpecWatch(
      KeyValueStore kv,
      String prefix,
      Duration wait,
      WatchBackoff backoff,
      Consumer<String> changed) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.prefix = Objects.requireNonNull(prefix, "prefix");
    this.wait = Objects.requireNonNull(wait, "wait");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.thread = new Thread(this::run, "watch " + prefix);
    thread.setDaemon(true);
  }

  /** Starts watching on a thread of its own. */
  public void start() {
    thread.start();
  }

  /**
   * Stops watching. A blocking query in flight is not cut short (consul-api offers no way); its
   * answer is dropped when it comes.
   */
  public void stop() {
    stopped.countDown();
    thread.interrupt();
  }

  private void run() {
    Map<String, Long> known = new HashMap<>();
    long index = 0;
    int failures = 0;
    long lastCall = 0;
    while (stopped.getCount() > 0) {
      long sinceLast = System.nanoTime() - lastCall;
      if (lastCall != 0
          && sinceLast < MIN_INTERVAL.toNanos()
          && !pause(Duration.ofNanos(MIN_INTERVAL.toNanos() - sinceLast))) {
        return;
      }
      lastCall = System.nanoTime();
      KvVersions listing;
      try {
        listing = kv.versions(prefix, new BlockingQuery(index, wait));
        failures = 0;
      } catch (RuntimeException e) {
        if (stopped.getCount() == 0) {
          return; // the connection was closed under a call in flight
        }
        // ConsulUnavailable, or an open circuit breaker refusing the call.
        failures++;
        Duration delay = backoff.after(failures);
        log.warn(
            "watch of {}: {}; retry {} in {} ms",
            prefix,
            e.getMessage(),
            failures,
            delay.toMillis());
        if (!pause(delay)) {
          return;
        }
        continue;
      }
      if (stopped.getCount() == 0) {
        return;
      }
      if (listing.index() == index && index != 0) {
        continue;
      }
      known = handOnChanges(known, listing);
      // Backwards: start over from 0. Consul never answers 0 after the first call; if it did,
      // blocking on 0 would not block, so that case starts over as well.
      index = listing.index() < index || listing.index() < 1 ? 0 : listing.index();
    }
  }

  private Map<String, Long> handOnChanges(Map<String, Long> known, KvVersions listing) {
    Map<String, Long> now = new HashMap<>(listing.modifyIndexes().size() * 2);
    listing
        .modifyIndexes()
        .forEach((key, modifyIndex) -> nameOf(key).ifPresent(name -> now.put(name, modifyIndex)));
    now.forEach(
        (name, modifyIndex) -> {
          if (!modifyIndex.equals(known.get(name))) {
            changed.accept(name);
          }
        });
    known.keySet().stream().filter(name -> !now.containsKey(name)).forEach(changed);
    return now;
  }

  /** The name of a spec key; folders and keys nested deeper are not specs. */
  private Optional<String> nameOf(String key) {
    if (!key.startsWith(prefix)) {
      return Optional.empty();
    }
    String name = key.substring(prefix.length());
    return name.isEmpty() || name.contains("/") ? Optional.empty() : Optional.of(name);
  }

  private boolean pause(Duration d) {
    try {
      return !stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return false;
    }
  }
}
