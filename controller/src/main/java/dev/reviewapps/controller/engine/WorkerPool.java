package dev.reviewapps.controller.engine;

import dev.reviewapps.controller.engine.ReconcileMetrics.Outcome;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;

/**
 * N workers that take names from a {@link WorkQueue} and reconcile them, applying the result the
 * way controller-runtime does: done forgets the backoff; requeue-after forgets it and queues the
 * name after the delay; an exception queues it with rate limiting; a {@link TerminalError} is
 * recorded and not retried. Nothing a reconciler throws, {@link Error}s included, ends a worker.
 *
 * <p>Every log line written during a reconcile carries the name in the MDC key {@value #MDC_APP}.
 */
public final class WorkerPool {
  /** The MDC key holding the name being reconciled. */
  public static final String MDC_APP = "app";

  private static final Logger log = LoggerFactory.getLogger(WorkerPool.class);

  private final String controller;
  private final WorkQueue queue;
  private final Reconciler reconciler;
  private final TerminalErrors terminalErrors;
  private final ReconcileMetrics metrics;
  private final int workers;
  private final ExecutorService threads;

  public WorkerPool(
      String controller,
      WorkQueue queue,
      Reconciler reconciler,
      TerminalErrors terminalErrors,
      ReconcileMetrics metrics,
      int workers) {
    if (workers < 1) {
      throw new IllegalArgumentException("at least one worker, got " + workers);
    }
    this.controller = Objects.requireNonNull(controller, "controller");
    this.queue = Objects.requireNonNull(queue, "queue");
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.terminalErrors = Objects.requireNonNull(terminalErrors, "terminalErrors");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.workers = workers;
    AtomicInteger n = new AtomicInteger();
    this.threads =
        Executors.newFixedThreadPool(
            workers,
            r -> {
              Thread t = new Thread(r, controller + "-worker-" + n.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
  }

  /** Starts the workers. */
  public void start() {
    for (int i = 0; i < workers; i++) {
      threads.execute(this::work);
    }
  }

  private void work() {
    try {
      while (true) {
        Optional<String> name = queue.get();
        if (name.isEmpty()) {
          return;
        }
        reconcile(name.get());
        if (Thread.currentThread().isInterrupted()) {
          return;
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void reconcile(String name) {
    MDC.put(MDC_APP, name);
    metrics.activeWorkers(1);
    long started = System.nanoTime();
    Outcome outcome = Outcome.ERROR;
    try {
      Result result = reconciler.reconcile(name);
      queue.forget(name);
      if (result instanceof Result.RequeueAfter r) {
        queue.addAfter(name, r.delay());
        outcome = Outcome.REQUEUE_AFTER;
      } else {
        outcome = Outcome.SUCCESS;
      }
    } catch (TerminalError e) {
      outcome = Outcome.TERMINAL_ERROR;
      queue.forget(name);
      log.warn("reconcile failed for good, not retrying: {}", e.getMessage());
      record(name, e);
    } catch (InterruptedException e) {
      // Only a stop interrupts a worker: the queue is gone with the term, nothing to requeue.
      Thread.currentThread().interrupt();
      log.info("reconcile interrupted by a stop");
    } catch (Throwable e) {
      queue.addRateLimited(name);
      log.error("reconcile failed; retry {} with backoff", queue.retries(name), e);
    } finally {
      metrics.reconciled(outcome, Duration.ofNanos(System.nanoTime() - started));
      metrics.activeWorkers(-1);
      queue.done(name);
      MDC.remove(MDC_APP);
    }
  }

  private void record(String name, TerminalError error) {
    if (error.recorded()) {
      return;
    }
    try {
      terminalErrors.record(name, error);
    } catch (Exception e) {
      log.error("could not record a terminal error", e);
    }
  }

  /**
   * Stops taking work and waits up to {@code grace} for running reconciles to finish; then
   * interrupts them. With a zero grace, running reconciles are interrupted at once.
   *
   * @return true when every worker ended within the grace period
   */
  public boolean stop(Duration grace) {
    queue.shutDown();
    threads.shutdown();
    try {
      if (!grace.isZero() && threads.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
        return true;
      }
      threads.shutdownNow();
      threads.awaitTermination(1, TimeUnit.SECONDS);
      return false;
    } catch (InterruptedException e) {
      threads.shutdownNow();
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** The controller name these workers reconcile for, the {@code controller} metric label. */
  public String controller() {
    return controller;
  }
}
