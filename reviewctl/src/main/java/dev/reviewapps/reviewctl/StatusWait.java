package dev.reviewapps.reviewctl;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.consul.KvListing;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Waits for an app to become Ready or to be gone, with Consul blocking queries on the key that has
 * to change next: no sleeping, no polling loop. Each query waits at most until the deadline (Consul
 * rounds to whole seconds), so a timeout is exceeded by about a second at most.
 *
 * <p>Once Consul has answered, losing it (an agent restart during a ten-minute deploy wait) is
 * ridden out: the call is retried with a growing pause until the deadline. A Consul that never
 * answered (a wrong address) fails at once; an HTTP error (403) is never retried.
 */
final class StatusWait {
  /** Consul's own cap is 10 minutes; shorter queries keep a lost connection from hiding long. */
  private static final Duration LONGEST_QUERY = Duration.ofMinutes(5);

  /** How a wait ended. */
  sealed interface Outcome {
    /** The goal was reached; {@code status} is empty when waiting for deletion. */
    record Reached(Optional<ReviewAppStatus> status) implements Outcome {}

    /** The app is Failed for its current spec. */
    record Failed(String why) implements Outcome {}

    /**
     * The controller refused the current spec (an invalid update: the app keeps running its last
     * valid spec, so its phase can be the goal's while the commit waited for is not running).
     */
    record Rejected(String why) implements Outcome {}

    /** Time ran out; {@code lastSeen} says where the app was. */
    record TimedOut(String lastSeen) implements Outcome {}
  }

  private static final Duration LONGEST_PAUSE = Duration.ofSeconds(8);

  private final KeyValueStore store;
  private final KeyLayout layout;
  private final Clock clock;
  private boolean answered;

  StatusWait(KeyValueStore store, KeyLayout layout, Clock clock) {
    this.store = store;
    this.layout = layout;
    this.clock = clock;
  }

  /**
   * Ready for the spec that is in Consul now: a status left over from an earlier spec (its {@code
   * observedIndex} below the spec's ModifyIndex) does not count, so CI waiting after an apply never
   * takes the previous commit's Ready for its own.
   */
  Outcome ready(String name, Duration timeout) {
    return phase(name, Phase.Ready, timeout);
  }

  /** The same for another phase ({@code Sleeping} after {@code reviewctl sleep}). */
  Outcome phase(String name, Phase goal, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    long index = 0;
    String lastSeen = "no status yet";
    while (true) {
      KvEntry spec =
          ask(() -> store.get(layout.spec(name)), deadline)
              .orElseThrow(
                  () -> new CliError("wait " + name + ": no spec named " + name + " in Consul"));
      long from = index;
      KvListing listing =
          ask(() -> store.read(layout.status(name), query(from, deadline)), deadline);
      // Consul asks clients to start over when an index goes backwards.
      index = listing.index() < index ? 0 : listing.index();
      Optional<ReviewAppStatus> status =
          listing.entries().stream()
              .findFirst()
              .flatMap(e -> ReviewAppJson.parseStatus(e.value()).toOptional());
      if (status.isPresent()) {
        ReviewAppStatus s = status.get();
        if (s.observedIndex() >= spec.modifyIndex()) {
          Optional<String> rejected = s.rejection(spec.modifyIndex());
          if (goal == Phase.Ready && rejected.isPresent() && s.phase() != Phase.Failed) {
            return new Outcome.Rejected(rejected.get());
          }
          if (s.phase() == goal) {
            return new Outcome.Reached(status);
          }
          if (s.phase() == Phase.Failed) {
            return new Outcome.Failed(s.lastError().or(s::message).orElse("no lastError given"));
          }
          lastSeen = describe(s);
        } else {
          lastSeen =
              "the controller has not seen spec index "
                  + spec.modifyIndex()
                  + " yet (status is for "
                  + s.observedIndex()
                  + ", "
                  + s.phase()
                  + ")";
        }
      }
      if (!clock.instant().isBefore(deadline)) {
        return new Outcome.TimedOut(lastSeen);
      }
    }
  }

  /** Gone: no spec, no status, no inventory. */
  Outcome deleted(String name, Duration timeout) {
    Instant deadline = clock.instant().plus(timeout);
    while (true) {
      Optional<KvEntry> status = ask(() -> store.get(layout.status(name)), deadline);
      Optional<KvEntry> inventory = ask(() -> store.get(layout.inventory(name)), deadline);
      Optional<KvEntry> spec = ask(() -> store.get(layout.spec(name)), deadline);
      // Block on whichever key still has to go, status first (the controller drops it last).
      Optional<KvEntry> pending = status.or(() -> inventory).or(() -> spec);
      if (pending.isEmpty()) {
        return new Outcome.Reached(Optional.empty());
      }
      if (!clock.instant().isBefore(deadline)) {
        String left =
            (spec.isPresent() ? "spec " : "")
                + (status.isPresent() ? "status " : "")
                + (inventory.isPresent() ? "inventory " : "");
        return new Outcome.TimedOut("still in Consul: " + left.strip());
      }
      // A present key's index is its ModifyIndex: the query returns when it changes or goes.
      KvEntry next = pending.get();
      ask(() -> store.read(next.key(), query(next.modifyIndex(), deadline)), deadline);
    }
  }

  /** One Consul call, retried while Consul is unreachable after having answered before. */
  private <T> T ask(Supplier<T> call, Instant deadline) {
    Duration pause = Duration.ofSeconds(1);
    while (true) {
      try {
        T answer = call.get();
        answered = true;
        return answer;
      } catch (ConsulUnavailable e) {
        Duration left = Duration.between(clock.instant(), deadline);
        if (!answered || e.status().isPresent() || left.compareTo(pause) <= 0) {
          throw e;
        }
        try {
          // A pause before asking again: Consul is down, there is no state to block on.
          Thread.sleep(pause.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
        pause =
            pause.multipliedBy(2).compareTo(LONGEST_PAUSE) > 0
                ? LONGEST_PAUSE
                : pause.multipliedBy(2);
      }
    }
  }

  private BlockingQuery query(long index, Instant deadline) {
    if (index <= 0) {
      return BlockingQuery.NONE;
    }
    Duration left = Duration.between(clock.instant(), deadline);
    Duration wait = left.compareTo(LONGEST_QUERY) > 0 ? LONGEST_QUERY : left;
    // Past the deadline: one last immediate look, so the final state is reported accurately.
    return wait.isNegative() || wait.isZero()
        ? BlockingQuery.NONE
        : new BlockingQuery(
            index, wait.compareTo(Duration.ofSeconds(1)) < 0 ? Duration.ofSeconds(1) : wait);
  }

  /** Phase plus the first condition that is not True: where the app is stuck. */
  static String describe(ReviewAppStatus s) {
    return "phase "
        + s.phase()
        + s.conditions().stream()
            .filter(c -> c.status() != ConditionStatus.True)
            .findFirst()
            .map(
                c ->
                    ", "
                        + c.type()
                        + " "
                        + c.status()
                        + " "
                        + c.reason()
                        + (c.message().isEmpty() ? "" : ": " + c.message()))
            .orElse("");
  }
}
