package dev.reviewapps.controller.reviewapp.capacity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.reviewapp.aws.CapacityProvider;
import dev.reviewapps.controller.reviewapp.testing.LocalConsul;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/** One sizing per change for all apps together, against the devstack Consul. */
class CapacitySizerTest {
  @RegisterExtension static final LocalConsul consul = new LocalConsul();

  /** Records what it is asked to size; fails while {@code down}. */
  private static final class CountingCapacity implements CapacityProvider {
    final List<Integer> calls = new CopyOnWriteArrayList<>();
    final AtomicBoolean down = new AtomicBoolean();

    @Override
    public CapacityOutcome ensure(List<Footprint> allocations) {
      if (down.get()) {
        throw new IllegalStateException("Auto Scaling unavailable");
      }
      calls.add(allocations.size());
      return new CapacityOutcome.Sufficient(1, allocations.size() + " allocations");
    }
  }

  private static InventoryStore withInventories(KeyLayout layout, int apps) {
    InventoryStore store = new InventoryStore(consul.kv, layout);
    for (int i = 0; i < apps; i++) {
      String app = String.format("deploy-cap-%04d", i);
      store.write(
          store.read(app),
          Inventory.empty(app)
              .withAllocations(List.of(new Footprint(100, 64), new Footprint(500, 512))));
    }
    return store;
  }

  @Test
  void aThousandAppsChangingAtOnceAreOneListingAndOneCapacityCall() {
    KeyLayout layout = consul.freshLayout();
    InventoryStore store = withInventories(layout, 1_000);
    CountingCapacity capacity = new CountingCapacity();
    TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
    CapacitySizer sizer =
        CapacitySizer.leaderTask(
            capacity, store, Duration.ofMillis(500), Duration.ofMinutes(1), clock);

    // Every app's step records its footprint and nudges: nothing is sized in their threads.
    for (int i = 0; i < 1_000; i++) {
      sizer.nudge();
    }
    assertThat(capacity.calls).isEmpty();
    long started = System.nanoTime();
    sizer.runOnce();
    Duration pass = Duration.ofNanos(System.nanoTime() - started);
    assertThat(capacity.calls).containsExactly(2_000);
    assertThat(sizer.last().orElseThrow().message()).isEqualTo("2000 allocations");
    System.out.printf("capacity pass over 1000 inventories: %d ms%n", pass.toMillis());

    // No change: no pass, until the resync.
    sizer.runOnce();
    clock.advance(Duration.ofSeconds(59));
    sizer.runOnce();
    assertThat(capacity.calls).hasSize(1);
    clock.advance(Duration.ofSeconds(1));
    sizer.runOnce();
    assertThat(capacity.calls).hasSize(2);
  }

  @Test
  void aFailedPassIsTriedAgainAtTheNextTick() {
    KeyLayout layout = consul.freshLayout();
    CountingCapacity capacity = new CountingCapacity();
    TestClock clock = new TestClock(Instant.parse("2026-12-03T10:00:00Z"));
    CapacitySizer sizer =
        CapacitySizer.leaderTask(
            capacity,
            withInventories(layout, 3),
            Duration.ofMillis(500),
            Duration.ofHours(1),
            clock);
    sizer.runOnce();
    sizer.nudge();
    capacity.down.set(true);
    assertThatThrownBy(sizer::runOnce).hasMessageContaining("unavailable");
    capacity.down.set(false);
    sizer.runOnce();
    assertThat(capacity.calls).containsExactly(6, 6);
  }

  @Test
  void inlineSizesInTheCallersThreadOnEveryNudge() {
    KeyLayout layout = consul.freshLayout();
    CountingCapacity capacity = new CountingCapacity();
    CapacitySizer sizer = CapacitySizer.inline(capacity, withInventories(layout, 2));
    sizer.nudge();
    assertThat(capacity.calls).containsExactly(4);
    assertThat(sizer.deferred()).isFalse();
  }
}
