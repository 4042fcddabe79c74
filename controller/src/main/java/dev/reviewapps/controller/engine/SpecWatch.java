package dev.reviewapps.controller.engine;

import dev.reviewapps.consul.KeyValueStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns changes of a {@link ChangeSource}, such as the keys under {@code <prefix>/specs/}, into
 * names, with blocking queries as the Consul and Nomad documentation prescribe:
 *
 * <ul>
 *   <li>the same {@code X-Consul-Index} back means nothing new (a timeout or idempotent write);
 *   <li>an index that goes backwards (a restored snapshot, a new cluster) resets the index to 0;
 *   <li>errors back off with jitter, and reset after any success;
 *   <li>never more than one call per {@link #MIN_INTERVAL}, however fast Consul answers.
 * </ul>
 *
 * Each answer is compared item by item on its version with the previous one; only the names of
 * changed, new and deleted items are handed on. The first answer hands on every name.
 */
public final class SpecWatch {
  /** The least time between two calls, so that a flapping index cannot make a busy loop. */
  public static final Duration MIN_INTERVAL = Duration.ofMillis(100);

  private static final Logger log = LoggerFactory.getLogger(SpecWatch.class);

  private final ChangeSource source;
  private final Duration wait;
  private final WatchBackoff backoff;
  private final Consumer<String> changed;
  private final CountDownLatch stopped = new CountDownLatch(1);
  private final Thread thread;

  /** Watches the keys under {@code prefix}: the key's last segment is the name. */
  public SpecWatch(KeyValueStore kv, String prefix, Duration wait, Consumer<String> changed) {
    this(new KvPrefix(kv, prefix), wait, changed);
  }

  public SpecWatch(ChangeSource source, Duration wait, Consumer<String> changed) {
    this(source, wait, new WatchBackoff(Duration.ofMillis(200), Duration.ofSeconds(30)), changed);
  }

  SpecWatch(ChangeSource source, Duration wait, WatchBackoff backoff, Consumer<String> changed) {
    this.source = Objects.requireNonNull(source, "source");
    this.wait = Objects.requireNonNull(wait, "wait");
    this.backoff = Objects.requireNonNull(backoff, "backoff");
    this.changed = Objects.requireNonNull(changed, "changed");
    this.thread = new Thread(this::run, "watch " + source.describe());
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
      ChangeSource.Listing listing;
      try {
        listing = source.list(index, wait);
        failures = 0;
      } catch (RuntimeException e) {
        if (stopped.getCount() == 0) {
          return; // the connection was closed under a call in flight
        }
        // The system cannot be reached, or an open circuit breaker refuses the call.
        failures++;
        Duration delay = backoff.after(failures);
        log.warn(
            "watch of {}: {}; retry {} in {} ms",
            source.describe(),
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

  /** Item to version of this answer; the names of what changed since {@code known} handed on. */
  private Map<String, Long> handOnChanges(Map<String, Long> known, ChangeSource.Listing listing) {
    Map<String, Long> now = listing.versions();
    Set<String> names = new LinkedHashSet<>();
    now.forEach(
        (item, version) -> {
          if (!version.equals(known.get(item))) {
            source.nameOf(item).ifPresent(names::add);
          }
        });
    known.keySet().stream()
        .filter(item -> !now.containsKey(item))
        .forEach(item -> source.nameOf(item).ifPresent(names::add));
    names.forEach(changed);
    return now;
  }

  private boolean pause(Duration d) {
    try {
      return !stopped.await(d.toNanos(), TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      return false;
    }
  }
}
