package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class WorkQueueTest {
  private final WorkQueue queue =
      new WorkQueue(
          "test",
          new ExponentialBackoff(Duration.ofMillis(20), Duration.ofSeconds(1)),
          WorkQueueMetrics.none());

  @AfterEach
  void shutDown() {
    queue.shutDown();
  }

  @Test
  void aNameAddedManyTimesIsQueuedOnce() throws Exception {
    queue.add("a");
    queue.add("b");
    queue.add("a");
    queue.add("a");

    assertThat(queue.length()).isEqualTo(2);
    assertThat(queue.get()).contains("a");
    assertThat(queue.get()).contains("b");
    assertThat(queue.length()).isZero();
  }

  @Test
  void aNameBeingProcessedIsNotHandedOutAgainUntilDone() throws Exception {
    queue.add("a");
    String taken = queue.get().orElseThrow();

    queue.add("a");
    queue.add("a");
    assertThat(queue.length()).as("queued again only once it is done").isZero();

    queue.done(taken);
    assertThat(queue.length()).isEqualTo(1);
    assertThat(queue.get()).contains("a");
    queue.done("a");
    assertThat(queue.length()).as("the re-run happens exactly once").isZero();
  }

  @Test
  void doneWithoutAnotherAddDoesNotQueueAgain() throws Exception {
    queue.add("a");
    queue.done(queue.get().orElseThrow());

    assertThat(queue.length()).isZero();
  }

  @Test
  void addAfterQueuesTheNameWhenTheDelayRunsOut() {
    queue.addAfter("a", Duration.ofMillis(50));

    assertThat(queue.length()).isZero();
    await().atMost(Duration.ofSeconds(2)).until(() -> queue.length() == 1);
    assertThat(queue.delayedCount()).isZero();
  }

  @Test
  void ofTwoDelaysForOneNameTheEarlierWins() {
    queue.addAfter("a", Duration.ofMinutes(10));
    queue.addAfter("a", Duration.ofMillis(30));
    queue.addAfter("a", Duration.ofMinutes(5));

    await().atMost(Duration.ofSeconds(2)).until(() -> queue.length() == 1);
    assertThat(queue.delayedCount()).isZero();
  }

  @Test
  void rateLimitedAddsWaitLongerAfterEachFailureAndForgetStartsOver() {
    queue.addRateLimited("a");
    queue.addRateLimited("a");
    assertThat(queue.retries("a")).isEqualTo(2);

    queue.forget("a");
    assertThat(queue.retries("a")).isZero();
  }

  @Test
  void shutDownWakesWaitingWorkersWithNothing() throws Exception {
    CompletableFuture<Optional<String>> waiting =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return queue.get();
              } catch (InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });

    queue.shutDown();

    assertThat(waiting.get(2, TimeUnit.SECONDS)).isEmpty();
    queue.add("late");
    assertThat(queue.length()).isZero();
  }
}
