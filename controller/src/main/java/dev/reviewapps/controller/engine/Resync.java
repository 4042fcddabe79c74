package dev.reviewapps.controller.engine;

import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KeyValueStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Queues every name found under the given prefixes ({@code specs/}, {@code status/}, {@code
 * inventory/}): once at start, so that work a crash or deploy interrupted resumes (an app whose
 * spec is gone still has status or inventory to clean up), and then every {@code period}, to catch
 * drift that no watch reports (AWS has no watch). Listing keys only keeps it cheap.
 */
public final class Resync {
  private static final Logger log = LoggerFactory.getLogger(Resync.class);
  private static final Duration RETRY = Duration.ofSeconds(5);

  private final KeyValueStore kv;
  private final List<String> prefixes;
  private final Duration period;
  private final Consumer<String> enqueue;
  private final ScheduledExecutorService timer;

  public Resync(
      KeyValueStore kv, List<String> prefixes, Duration period, Consumer<String> enqueue) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.prefixes = List.copyOf(prefixes);
    this.period = Objects.requireNonNull(period, "period");
    this.enqueue = Objects.requireNonNull(enqueue, "enqueue");
    this.timer =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread t = new Thread(r, "resync");
              t.setDaemon(true);
              return t;
            });
  }

  /** Queues everything now, then every period. */
  public void start() {
    timer.execute(this::runFirst);
    timer.scheduleWithFixedDelay(
        this::resyncOnce, period.toMillis(), period.toMillis(), TimeUnit.MILLISECONDS);
  }

  /** Stops the timer. */
  public void stop() {
    timer.shutdownNow();
  }

  private void runFirst() {
    if (!resyncOnce()) {
      // The first listing must happen: interrupted work would otherwise wait a whole period.
      timer.schedule(this::runFirst, RETRY.toMillis(), TimeUnit.MILLISECONDS);
    }
  }

  /** Lists and queues every name once; false if Consul could not be asked. */
  boolean resyncOnce() {
    try {
      Set<String> names = new TreeSet<>();
      for (String prefix : prefixes) {
        for (String key : kv.keys(prefix)) {
          String name = key.substring(prefix.length());
          if (!name.isEmpty() && !name.contains("/")) {
            names.add(name);
          }
        }
      }
      names.forEach(enqueue);
      log.debug("resync queued {} names", names.size());
      return true;
    } catch (ConsulUnavailable e) {
      log.warn("resync: {}", e.getMessage());
      return false;
    } catch (RuntimeException e) {
      log.error("resync failed", e);
      return false;
    }
  }
}
