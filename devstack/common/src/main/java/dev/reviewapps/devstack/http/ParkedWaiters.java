package dev.reviewapps.devstack.http;

import java.time.Duration;
import java.util.Iterator;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Blocking queries without a thread each: a waiter is a future plus a predicate over the topics
 * that changed (a KV key, a job ID). {@link #changed} completes the waiters whose predicate accepts
 * the topic; a single scheduler thread completes the rest at their deadline.
 *
 * <p>A waiter's future completes with {@code true} when woken by a change and {@code false} at its
 * deadline. Callers re-read their state either way, as the real servers do.
 *
 * @param <T> what a change names, e.g. a KV key
 */
public final class ParkedWaiters<T> implements AutoCloseable {
  private record Waiter<T>(Predicate<T> interest, CompletableFuture<Boolean> woken) {}

  private final Set<Waiter<T>> waiters = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService timer;

  public ParkedWaiters(String name) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "devstack-" + name + "-waiters");
              t.setDaemon(true);
              return t;
            });
    // A woken waiter cancels its deadline; drop it from the queue instead of keeping it for
    // up to ten minutes.
    executor.setRemoveOnCancelPolicy(true);
    this.timer = executor;
  }

  /**
   * Parks until a change that {@code interest} accepts, or until {@code wait} has passed. Register
   * before re-checking state, so a change between the check and the park is not missed.
   */
  public CompletableFuture<Boolean> await(Predicate<T> interest, Duration wait) {
    Waiter<T> waiter = new Waiter<>(interest, new CompletableFuture<>());
    waiters.add(waiter);
    ScheduledFuture<?> deadline =
        timer.schedule(
            () -> waiter.woken().complete(false), wait.toMillis(), TimeUnit.MILLISECONDS);
    waiter
        .woken()
        .whenComplete(
            (r, e) -> {
              waiters.remove(waiter);
              deadline.cancel(false);
            });
    return waiter.woken();
  }

  /** Wakes every waiter interested in this change. */
  public void changed(T topic) {
    for (Iterator<Waiter<T>> it = waiters.iterator(); it.hasNext(); ) {
      Waiter<T> waiter = it.next();
      if (waiter.interest().test(topic)) {
        waiter.woken().complete(true);
      }
    }
  }

  /** Wakes every waiter, whatever it waits for (a session ended, the server stops). */
  public void changedAll() {
    waiters.forEach(w -> w.woken().complete(true));
  }

  /** How many waiters are parked now. */
  public int parked() {
    return waiters.size();
  }

  @Override
  public void close() {
    changedAll();
    timer.shutdownNow();
  }
}
