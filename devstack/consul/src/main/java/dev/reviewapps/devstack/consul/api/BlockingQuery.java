package dev.reviewapps.devstack.consul.api;

import dev.reviewapps.devstack.consul.state.Commit;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.ParkedWaiters;
import dev.reviewapps.devstack.http.Reply;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.LongSupplier;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * Consul's blocking queries: with {@code ?index=N} a read waits until its own index passes N, or
 * until {@code ?wait} (default 5 minutes, at most 10, plus up to wait/16 of jitter) is over, and
 * then answers whatever the state is. A waiter is a parked future; a commit wakes only the waiters
 * whose keys it touched, and each re-runs its query on a small pool rather than on the writer's
 * thread.
 */
final class BlockingQuery {
  static final Duration DEFAULT_WAIT = Duration.ofMinutes(5);
  static final Duration MAX_WAIT = Duration.ofMinutes(10);
  private static final int JITTER_FRACTION = 16;

  /** A query's answer before the query-meta headers are added. */
  record Answer(long index, Reply reply) {}

  /** An answer and the state version it was computed at (or after). */
  private record Shared(long version, Answer answer) {}

  // A commit wakes every watcher of a prefix at once; they ask the same question, so the first
  // to run computes the answer and the others reuse it while the state has not moved.
  private static final int MAX_SHARED = 10_000;
  private final ConcurrentHashMap<String, Shared> shared = new ConcurrentHashMap<>();
  private final LongSupplier stateVersion;
  private final ParkedWaiters<Commit> waiters;
  private final Executor wakeups;
  private final ConsulWire wire;
  // Once the stand-in stops, parked queries are answered with what is there instead of parking.
  private volatile boolean stopping;

  BlockingQuery(
      ParkedWaiters<Commit> waiters, Executor wakeups, ConsulWire wire, LongSupplier stateVersion) {
    this.stateVersion = stateVersion;
    this.waiters = waiters;
    this.wakeups = wakeups;
    this.wire = wire;
  }

  /**
   * Answers {@code query}, blocking first when the request carries a non-zero {@code ?index}.
   *
   * @param interest which commits may change the query's answer
   */
  CompletableFuture<Reply> answer(
      Exchange exchange, Predicate<Commit> interest, Supplier<Answer> query) {
    long minIndex = 0;
    Duration wait = DEFAULT_WAIT;
    String waitText = exchange.param("wait").orElse("");
    if (!waitText.isEmpty()) {
      try {
        wait = GoDuration.parse(waitText);
      } catch (IllegalArgumentException e) {
        throw new HttpError(400, "Invalid wait time");
      }
    }
    String indexText = exchange.param("index").orElse("");
    if (!indexText.isEmpty()) {
      try {
        minIndex = Long.parseUnsignedLong(indexText);
      } catch (NumberFormatException e) {
        throw new HttpError(400, "Invalid index");
      }
    }
    if (minIndex == 0) {
      return CompletableFuture.completedFuture(finish(exchange, query.get()));
    }
    if (wait.compareTo(MAX_WAIT) > 0) {
      wait = MAX_WAIT;
    } else if (wait.isZero() || wait.isNegative()) {
      wait = DEFAULT_WAIT;
    }
    long jitterBound = wait.toNanos() / JITTER_FRACTION;
    long jitter = jitterBound > 0 ? ThreadLocalRandom.current().nextLong(jitterBound) : 0;
    long deadline = System.nanoTime() + wait.toNanos() + jitter;
    return attempt(exchange, interest, query, minIndex, deadline);
  }

  private CompletableFuture<Reply> attempt(
      Exchange exchange,
      Predicate<Commit> interest,
      Supplier<Answer> query,
      long minIndex,
      long deadline) {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0 || stopping) {
      return CompletableFuture.completedFuture(finish(exchange, query.get()));
    }
    // Park before reading, so a commit between the read and the park still wakes us.
    CompletableFuture<Boolean> parked = waiters.await(interest, Duration.ofNanos(remaining));
    Answer now;
    try {
      now = query.get();
    } catch (RuntimeException e) {
      parked.complete(false);
      throw e;
    }
    if (now.index() > minIndex) {
      parked.complete(false);
      return CompletableFuture.completedFuture(finish(exchange, now));
    }
    return parked.thenComposeAsync(
        woken ->
            woken
                ? woken(exchange, interest, query, minIndex, deadline)
                : timedOut(exchange, query),
        wakeups);
  }

  // Most wake-ups are real: read first and park again only if the index did not move (a change
  // that left this query's answer alone, such as an identical write).
  private CompletableFuture<Reply> woken(
      Exchange exchange,
      Predicate<Commit> interest,
      Supplier<Answer> query,
      long minIndex,
      long deadline) {
    Answer now = sharedAnswer(exchange, query);
    if (now.index() > minIndex) {
      return CompletableFuture.completedFuture(finish(exchange, now));
    }
    return attempt(exchange, interest, query, minIndex, deadline);
  }

  private Answer sharedAnswer(Exchange exchange, Supplier<Answer> query) {
    String question = question(exchange);
    long version = stateVersion.getAsLong();
    Shared known = shared.get(question);
    if (known != null && known.version() == version) {
      return known.answer();
    }
    // Computed after reading the version, so it is at least as new as that version.
    Answer fresh = query.get();
    if (shared.size() >= MAX_SHARED) {
      shared.clear();
    }
    shared.put(question, new Shared(version, fresh));
    return fresh;
  }

  // Everything a read's answer depends on besides the state: path, parameters other than the
  // blocking ones, and the token (ACL filtering).
  private static String question(Exchange exchange) {
    StringBuilder question =
        new StringBuilder(exchange.method()).append(' ').append(exchange.path());
    exchange
        .query()
        .forEach(
            (name, values) -> {
              if (!name.equals("index") && !name.equals("wait")) {
                question.append('&').append(name).append('=').append(values);
              }
            });
    question.append(" token=").append(exchange.header("X-Consul-Token").orElse(""));
    question.append(" auth=").append(exchange.header("Authorization").orElse(""));
    return question.toString();
  }

  private CompletableFuture<Reply> timedOut(Exchange exchange, Supplier<Answer> query) {
    return CompletableFuture.completedFuture(finish(exchange, query.get()));
  }

  /** Answers every parked query now and parks no more. */
  void stop() {
    stopping = true;
  }

  private Reply finish(Exchange exchange, Answer answer) {
    return wire.withQueryMeta(exchange, answer.reply(), answer.index());
  }
}
