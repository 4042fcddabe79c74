package dev.reviewapps.controller.reviewapp.capacity;

import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Sizes the cluster for every app together, once per change: the apps' steps and teardowns only
 * record their footprint in their inventory and {@link #nudge()}; the sizing reads every inventory
 * once (one Consul listing) and asks the capacity provider once (one Auto Scaling call when the
 * desired capacity changes). As a {@link LeaderTask} it runs on the leader every {@code debounce},
 * sizing when nudged since the last pass (so a burst of changes is one pass) and every {@code
 * resync} anyway (drift, a pass that failed). O(N) per pass in the number of apps, instead of a
 * listing and an Auto Scaling call in every app's every reconcile, and one writer of the desired
 * capacity instead of many from different snapshots.
 *
 * <p>{@link #inline} sizes in the caller's thread on every nudge, for a process with no leader
 * tasks (tests of the reconciler alone).
 */
public final class CapacitySizer implements LeaderTask {
  private final CapacityProvider capacity;
  private final InventoryStore inventories;
  private final Duration debounce;
  private final Duration resync;
  private final Clock clock;
  private final boolean inline;
  private final AtomicBoolean nudged = new AtomicBoolean(true);
  private final AtomicLong passes = new AtomicLong();
  private volatile Optional<CapacityProvider.CapacityOutcome> last = Optional.empty();
  private volatile Instant lastPass = Instant.MIN;

  private CapacitySizer(
      CapacityProvider capacity,
      InventoryStore inventories,
      Duration debounce,
      Duration resync,
      Clock clock,
      boolean inline) {
    this.capacity = capacity;
    this.inventories = inventories;
    this.debounce = debounce;
    this.resync = resync;
    this.clock = clock;
    this.inline = inline;
  }

  /** The leader's task: a pass every {@code debounce} when nudged, every {@code resync} anyway. */
  public static CapacitySizer leaderTask(
      CapacityProvider capacity,
      InventoryStore inventories,
      Duration debounce,
      Duration resync,
      Clock clock) {
    return new CapacitySizer(capacity, inventories, debounce, resync, clock, false);
  }

  /** Sizes at once, in the caller's thread, on every nudge. */
  public static CapacitySizer inline(CapacityProvider capacity, InventoryStore inventories) {
    return new CapacitySizer(
        capacity, inventories, Duration.ZERO, Duration.ZERO, Clock.systemUTC(), true);
  }

  /** An app's footprint changed (recorded in its inventory already). */
  public void nudge() {
    nudged.set(true);
    if (inline) {
      size();
    }
  }

  /** What the last pass found; empty before the first. */
  public Optional<CapacityProvider.CapacityOutcome> last() {
    return last;
  }

  /** Passes made, for tests and the benchmark. */
  public long passes() {
    return passes.get();
  }

  /** Whether a pass happens on the leader rather than in the nudging thread. */
  public boolean deferred() {
    return !inline;
  }

  /** How long a nudge waits at most for the next pass. */
  public Duration debounce() {
    return debounce;
  }

  @Override
  public String name() {
    return "capacity";
  }

  @Override
  public Duration interval() {
    return debounce;
  }

  @Override
  public void runOnce() {
    boolean due = Duration.between(lastPass, clock.instant()).compareTo(resync) >= 0;
    if (!nudged.getAndSet(false) && !due) {
      return;
    }
    try {
      size();
    } catch (RuntimeException e) {
      nudged.set(true); // the next pass tries again
      throw e;
    }
  }

  private synchronized void size() {
    List<Footprint> all = new ArrayList<>();
    for (Inventory inventory : inventories.all()) {
      all.addAll(inventory.allocations());
    }
    last = Optional.of(capacity.ensure(all));
    lastPass = clock.instant();
    passes.incrementAndGet();
  }
}
