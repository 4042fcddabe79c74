package dev.reviewapps.controller.engine;

import dev.reviewapps.consul.KeyValueStore;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The machinery of one leadership term: the watches (specs, and the domain's {@link ChangeSource}s,
 * such as the wake and sleep requests of review apps and Nomad's allocations) and the resync feed
 * names into a fresh {@link WorkQueue}, and a {@link WorkerPool} reconciles them. A new term starts
 * from nothing (a new queue, a new watch from index 0, everything queued once), which is exactly
 * what a restart would do, so taking over from another controller and starting up are the same
 * path.
 */
public final class Engine {
  private static final Logger log = LoggerFactory.getLogger(Engine.class);

  private final WorkQueue queue;
  private final WorkerPool workers;
  private final List<SpecWatch> watches;
  private final Resync resync;

  public Engine(
      EngineSettings settings,
      List<ChangeSource> sources,
      KeyValueStore kv,
      Reconciler reconciler,
      TerminalErrors terminalErrors,
      WorkQueueMetrics queueMetrics,
      ReconcileMetrics reconcileMetrics) {
    Objects.requireNonNull(settings, "settings");
    RateLimiter limiter =
        MaxOfRateLimiter.standard(
            settings.backoffBase(),
            settings.backoffMax(),
            settings.retryRate(),
            settings.retryBurst());
    this.queue = new WorkQueue(settings.controller(), limiter, queueMetrics);
    this.workers =
        new WorkerPool(
            settings.controller(),
            queue,
            reconciler,
            terminalErrors,
            reconcileMetrics,
            settings.workers());
    Consumer<String> enqueue = new NameFilter(reconciler, reconcileMetrics, queue::add);
    this.watches =
        Stream.concat(
                Stream.of(new KvPrefix(kv, settings.layout().specs())),
                sources.stream().filter(source -> source != ChangeSource.NONE))
            .distinct()
            .map(source -> new SpecWatch(source, settings.watchWait(), enqueue))
            .toList();
    this.resync =
        new Resync(
            kv,
            List.of(
                settings.layout().specs(),
                settings.layout().statuses(),
                settings.layout().inventories()),
            settings.resync(),
            enqueue);
  }

  /** Starts workers, watch and resync. */
  public void start() {
    workers.start();
    watches.forEach(SpecWatch::start);
    resync.start();
    log.info("engine started");
  }

  /**
   * Stops feeding names, lets running reconciles finish for up to {@code grace} and then interrupts
   * them. Zero grace is for a lost leadership: stop everything now.
   *
   * @return true when no reconcile had to be interrupted
   */
  public boolean stop(Duration grace) {
    watches.forEach(SpecWatch::stop);
    resync.stop();
    boolean clean = workers.stop(grace);
    log.info(clean ? "engine stopped" : "engine stopped, running reconciles were interrupted");
    return clean;
  }

  /** The queue of this term, for tests and health. */
  public WorkQueue queue() {
    return queue;
  }
}
