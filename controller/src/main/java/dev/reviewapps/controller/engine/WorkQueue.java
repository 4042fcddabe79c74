package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.LongSupplier;

/**
 * A rate-limited, delaying work queue of names with the guarantees of client-go's workqueue:
 *
 * <ul>
 *   <li>a name is queued at most once however often it is added ({@code dirty});
 *   <li>a name being processed is never handed to a second worker; added again meanwhile, it is
 *       queued once more when {@link #done} is called ({@code processing});
 *   <li>{@link #addAfter} keeps only the earliest pending time per name;
 *   <li>{@link #addRateLimited} waits as long as the {@link RateLimiter} says.
 * </ul>
 *
 * Thread-safe. One internal thread moves delayed names into the queue when they are due.
 */
public final class WorkQueue {
  private final RateLimiter limiter;
  private final WorkQueueMetrics metrics;
  private final LongSupplier nanoClock;

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition changed = lock.newCondition();
  private final ArrayDeque<String> queue = new ArrayDeque<>();
  private final Set<String> dirty = new HashSet<>();
  private final Map<String, Long> processing = new HashMap<>();
  private final Map<String, Long> addedAt = new HashMap<>();
  private final PriorityQueue<Delayed> delayed = new PriorityQueue<>();
  private final Map<String, Long> dueAt = new HashMap<>();
  private final Thread delayer;
  private boolean shuttingDown;

  private record Delayed(String name, long dueNanos) implements Comparable<Delayed> {
    @Override
    public int compareTo(Delayed other) {
      return Long.compare(dueNanos, other.dueNanos);
    }
  }

  public WorkQueue(String threadName, RateLimiter limiter, WorkQueueMetrics metrics) {
    this.limiter = Objects.requireNonNull(limiter, "limiter");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.nanoClock = System::nanoTime;
    this.delayer = new Thread(this::moveDueNames, threadName + "-delayer");
    delayer.setDaemon(true);
    delayer.start();
    metrics.depth(0);
  }

  /** Queues {@code name} now unless it is already queued; ignored after shutdown. */
  public void add(String name) {
    Objects.requireNonNull(name, "name");
    lock.lock();
    try {
      addLocked(name);
    } finally {
      lock.unlock();
    }
  }

  private void addLocked(String name) {
    if (shuttingDown) {
      return;
    }
    metrics.added();
    if (!dirty.add(name)) {
      return;
    }
    addedAt.put(name, nanoClock.getAsLong());
    if (processing.containsKey(name)) {
      // Queued again by done(): one more run after the current one, never two at once.
      return;
    }
    queue.addLast(name);
    metrics.depth(queue.size());
    changed.signalAll();
  }

  /** Queues {@code name} after {@code delay}; of several pending delays the earliest wins. */
  public void addAfter(String name, Duration delay) {
    Objects.requireNonNull(name, "name");
    if (delay.isNegative() || delay.isZero()) {
      add(name);
      return;
    }
    lock.lock();
    try {
      if (shuttingDown) {
        return;
      }
      long due = nanoClock.getAsLong() + delay.toNanos();
      Long current = dueAt.get(name);
      if (current != null && current <= due) {
        return;
      }
      dueAt.put(name, due);
      delayed.add(new Delayed(name, due));
      changed.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Queues {@code name} after the delay the rate limiter gives for one more failure. */
  public void addRateLimited(String name) {
    metrics.retried();
    addAfter(name, limiter.when(name));
  }

  /** Forgets the failures of {@code name}; its next failure starts the backoff afresh. */
  public void forget(String name) {
    limiter.forget(name);
  }

  /** How many failures of {@code name} the rate limiter remembers. */
  public int retries(String name) {
    return limiter.retries(name);
  }

  /**
   * Waits for a name and marks it as processing; the caller must call {@link #done} with it. Empty
   * once the queue is shut down.
   */
  public Optional<String> get() throws InterruptedException {
    lock.lockInterruptibly();
    try {
      while (queue.isEmpty() && !shuttingDown) {
        changed.await();
      }
      if (shuttingDown) {
        return Optional.empty();
      }
      String name = queue.removeFirst();
      long now = nanoClock.getAsLong();
      processing.put(name, now);
      dirty.remove(name);
      long queuedSince = Optional.ofNullable(addedAt.remove(name)).orElse(now);
      metrics.depth(queue.size());
      metrics.started(name, Duration.ofNanos(now - queuedSince));
      return Optional.of(name);
    } finally {
      lock.unlock();
    }
  }

  /** Marks {@code name} as no longer processing; queues it again if it was added meanwhile. */
  public void done(String name) {
    lock.lock();
    try {
      Long started = processing.remove(name);
      if (started != null) {
        metrics.finished(name, Duration.ofNanos(nanoClock.getAsLong() - started));
      }
      if (dirty.contains(name) && !shuttingDown) {
        queue.addLast(name);
        metrics.depth(queue.size());
        changed.signalAll();
      }
    } finally {
      lock.unlock();
    }
  }

  /** Names waiting for a worker (not counting delayed ones). */
  public int length() {
    lock.lock();
    try {
      return queue.size();
    } finally {
      lock.unlock();
    }
  }

  /** Names whose delay has not run out yet. */
  public int delayedCount() {
    lock.lock();
    try {
      return dueAt.size();
    } finally {
      lock.unlock();
    }
  }

  /** Stops handing out names: {@link #get} returns empty, adds are ignored. */
  public void shutDown() {
    lock.lock();
    try {
      shuttingDown = true;
      queue.clear();
      metrics.depth(0);
      changed.signalAll();
    } finally {
      lock.unlock();
    }
    delayer.interrupt();
  }

  /** True after {@link #shutDown}. */
  public boolean isShuttingDown() {
    lock.lock();
    try {
      return shuttingDown;
    } finally {
      lock.unlock();
    }
  }

  private void moveDueNames() {
    lock.lock();
    try {
      while (!shuttingDown) {
        Delayed next = delayed.peek();
        long now = nanoClock.getAsLong();
        if (next == null) {
          changed.await();
        } else if (next.dueNanos() > now) {
          changed.awaitNanos(next.dueNanos() - now);
        } else {
          delayed.poll();
          // A superseded (later) entry of a name that was re-scheduled earlier is skipped.
          if (Long.valueOf(next.dueNanos()).equals(dueAt.get(next.name()))) {
            dueAt.remove(next.name());
            addLocked(next.name());
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      lock.unlock();
    }
  }
}
