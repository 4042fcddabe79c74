package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A domain's own {@link ChangeSource} (many items per name, as Nomad has allocations per app),
 * watched the way the specs are: only the names of changed, new and gone items are handed on, once
 * per answer, and items that belong to nothing name nothing.
 */
class ChangeSourceWatchTest {
  private static final Duration BOUND = Duration.ofSeconds(10);

  private final LinkedBlockingQueue<ChangeSource.Listing> answers = new LinkedBlockingQueue<>();
  private final List<Long> askedIndexes = new CopyOnWriteArrayList<>();
  private final List<String> names = new CopyOnWriteArrayList<>();
  private SpecWatch watch;

  /** Items are {@code <app>/<allocation>}; an item without a slash belongs to no app. */
  private final ChangeSource allocations =
      new ChangeSource() {
        @Override
        public String describe() {
          return "scripted allocations";
        }

        @Override
        public Listing list(long index, Duration wait) {
          askedIndexes.add(index);
          try {
            Listing next = answers.poll(wait.toMillis(), TimeUnit.MILLISECONDS);
            if (next == null) {
              throw new IllegalStateException("no answer scripted");
            }
            return next;
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("stopped");
          }
        }

        @Override
        public Optional<String> nameOf(String item) {
          int slash = item.indexOf('/');
          return slash < 0 ? Optional.empty() : Optional.of(item.substring(0, slash));
        }
      };

  @AfterEach
  void stop() {
    watch.stop();
  }

  @Test
  void changedNewAndGoneItemsNameTheirObjectOncePerAnswer() {
    watch = new SpecWatch(allocations, Duration.ofSeconds(5), names::add);
    watch.start();

    answers.add(
        new ChangeSource.Listing(
            10, Map.of("deploy-a/1", 5L, "deploy-a/2", 6L, "deploy-b/1", 7L, "other-team", 8L)));
    await().atMost(BOUND).until(() -> names.size() >= 2);
    assertThat(names).containsExactlyInAnyOrder("deploy-a", "deploy-b");

    names.clear();
    // deploy-a's second allocation changes, deploy-b's goes, deploy-c's appears; other-team
    // changes too but names nothing.
    answers.add(
        new ChangeSource.Listing(
            11, Map.of("deploy-a/1", 5L, "deploy-a/2", 9L, "deploy-c/1", 11L, "other-team", 11L)));
    await().atMost(BOUND).until(() -> names.size() >= 3);
    assertThat(names).containsExactlyInAnyOrder("deploy-a", "deploy-b", "deploy-c");

    names.clear();
    // The same index back: nothing new, nothing handed on; the next query asks from 11 again.
    answers.add(new ChangeSource.Listing(11, Map.of("deploy-a/1", 5L)));
    await().atMost(BOUND).until(() -> askedIndexes.size() >= 4);
    assertThat(askedIndexes).startsWith(0L, 10L, 11L, 11L);
    assertThat(names).isEmpty();
  }
}
