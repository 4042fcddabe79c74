package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.consul.KvListing;
import dev.reviewapps.consul.KvVersions;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The index rules of blocking queries, against a Consul that answers from a script. */
class SpecWatchIndexTest {
  private static final String SPECS = "p/specs/";
  private static final Duration BOUND = Duration.ofSeconds(10);

  // The watch goes on asking while a test asserts: assertions read a copy, since a sub-list view
  // of a CopyOnWriteArrayList fails once the list grows under it.
  private final List<Long> askedIndexes = new CopyOnWriteArrayList<>();
  private final List<Long> callNanos = new CopyOnWriteArrayList<>();
  private final List<String> names = new CopyOnWriteArrayList<>();
  private final Deque<Supplier<KvListing>> script = new ArrayDeque<>();
  private SpecWatch watch;

  @AfterEach
  void stop() {
    watch.stop();
  }

  private static KvListing listing(long index, KvEntry... entries) {
    return new KvListing(List.of(entries), index);
  }

  private static KvEntry spec(String name, long modifyIndex) {
    return new KvEntry(SPECS + name, new byte[0], modifyIndex, Optional.empty());
  }

  private void watch() {
    KeyValueStore scripted =
        new UnsupportedStore() {
          @Override
          public KvVersions versions(String prefix, BlockingQuery query) {
            callNanos.add(System.nanoTime());
            askedIndexes.add(query.index());
            Supplier<KvListing> next;
            synchronized (script) {
              next = script.isEmpty() ? null : script.poll();
            }
            if (next == null) {
              // The script is over: behave like a quiet Consul.
              throw new ConsulUnavailable("script over", 0);
            }
            KvListing listing = next.get();
            Map<String, Long> versions = new HashMap<>();
            listing.entries().forEach(e -> versions.put(e.key(), e.modifyIndex()));
            return new KvVersions(versions, listing.index());
          }
        };
    watch =
        new SpecWatch(
            new KvPrefix(scripted, SPECS),
            Duration.ofSeconds(30),
            new WatchBackoff(Duration.ofMillis(1), Duration.ofMillis(5)),
            names::add);
    watch.start();
  }

  @Test
  void anIndexThatGoesBackwardsStartsOverFromZero() {
    script.add(() -> listing(10, spec("a", 10)));
    script.add(() -> listing(4, spec("a", 10)));
    script.add(() -> listing(12, spec("a", 10)));
    script.add(() -> listing(12, spec("a", 10)));

    watch();

    await().atMost(BOUND).until(() -> askedIndexes.size() >= 5);
    assertThat(List.copyOf(askedIndexes).subList(0, 5)).containsExactly(0L, 10L, 0L, 12L, 12L);
    assertThat(names).as("the same ModifyIndex is no change").containsExactly("a");
  }

  @Test
  void theSameIndexBackMeansNothingNew() {
    script.add(() -> listing(10, spec("a", 10)));
    script.add(() -> listing(10, spec("a", 10), spec("b", 11)));
    script.add(() -> listing(11, spec("a", 10), spec("b", 11)));

    watch();

    await().atMost(BOUND).until(() -> askedIndexes.size() >= 4);
    assertThat(List.copyOf(askedIndexes).subList(0, 4)).containsExactly(0L, 10L, 10L, 11L);
    assertThat(names).containsExactly("a", "b");
  }

  @Test
  void failuresBackOffAndTheWatchCarriesOnWithItsIndex() {
    script.add(() -> listing(10, spec("a", 10)));
    script.add(
        () -> {
          throw new ConsulUnavailable("down", 503);
        });
    script.add(
        () -> {
          throw new ConsulUnavailable("down", 0);
        });
    script.add(() -> listing(11, spec("a", 11)));

    watch();

    await().atMost(BOUND).until(() -> names.size() == 2);
    assertThat(List.copyOf(askedIndexes).subList(0, 4)).containsExactly(0L, 10L, 10L, 10L);
    assertThat(names).containsExactly("a", "a");
  }

  @Test
  void callsAreAtLeastAHundredMillisecondsApartHoweverFastConsulAnswers() {
    for (long i = 1; i <= 6; i++) {
      long index = i;
      script.add(() -> listing(index, spec("a", index)));
    }

    watch();

    await().atMost(BOUND).until(() -> callNanos.size() >= 6);
    for (int i = 1; i < 6; i++) {
      assertThat(Duration.ofNanos(callNanos.get(i) - callNanos.get(i - 1)))
          .isGreaterThanOrEqualTo(SpecWatch.MIN_INTERVAL);
    }
  }

  /** A store whose every method fails unless a test overrides it. */
  private abstract static class UnsupportedStore implements KeyValueStore {
    @Override
    public Optional<KvEntry> get(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public KvListing read(String key, BlockingQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public KvListing list(String prefix, BlockingQuery query) {
      throw new UnsupportedOperationException();
    }

    @Override
    public List<String> keys(String prefix) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean compareAndSet(String key, byte[] value, long modifyIndex) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void put(String key, byte[] value) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void put(String key, byte[] value, long flags) {
      throw new UnsupportedOperationException();
    }

    @Override
    public void delete(String key) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean deleteIfUnchanged(String key, long modifyIndex) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean acquire(String key, byte[] value, String session) {
      throw new UnsupportedOperationException();
    }

    @Override
    public boolean release(String key, String session) {
      throw new UnsupportedOperationException();
    }
  }
}
