package dev.reviewapps.controller.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

class WorkerPoolTest {
  private static final Duration BOUND = Duration.ofSeconds(5);

  private final WorkQueue queue =
      new WorkQueue(
          "test",
          new ExponentialBackoff(Duration.ofMillis(5), Duration.ofMillis(50)),
          WorkQueueMetrics.none());
  private final Map<String, AtomicInteger> runs = new ConcurrentHashMap<>();
  private final List<String> terminal = new CopyOnWriteArrayList<>();
  private WorkerPool pool;

  @AfterEach
  void stop() {
    if (pool != null) {
      pool.stop(Duration.ZERO);
    }
  }

  private void start(Reconciler reconciler, int workers) {
    pool =
        new WorkerPool(
            "test",
            queue,
            name -> {
              runs.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
              return reconciler.reconcile(name);
            },
            (name, error) -> terminal.add(name + ": " + error.getMessage()),
            ReconcileMetrics.none(),
            workers);
    pool.start();
  }

  private int runs(String name) {
    return runs.getOrDefault(name, new AtomicInteger()).get();
  }

  @Test
  void aNameIsNeverReconciledByTwoWorkersAtOnce() {
    Map<String, AtomicInteger> running = new ConcurrentHashMap<>();
    AtomicInteger mostAtOnce = new AtomicInteger();
    start(
        name -> {
          int now = running.computeIfAbsent(name, n -> new AtomicInteger()).incrementAndGet();
          mostAtOnce.accumulateAndGet(now, Math::max);
          // Spin a little so that runs overlap if the queue let them.
          long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(200);
          while (System.nanoTime() < until) {
            Thread.onSpinWait();
          }
          running.get(name).decrementAndGet();
          return Result.done();
        },
        4);

    for (int i = 0; i < 2_000; i++) {
      queue.add("app-" + (i % 3));
    }

    await()
        .atMost(BOUND)
        .until(() -> queue.length() == 0 && running.values().stream().allMatch(c -> c.get() == 0));
    assertThat(mostAtOnce.get()).isEqualTo(1);
    assertThat(runs("app-0")).isPositive();
  }

  @Test
  void aNameQueuedDuringItsRunRunsExactlyOnceMore() throws Exception {
    CountDownLatch firstRunStarted = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    start(
        name -> {
          firstRunStarted.countDown();
          release.await();
          return Result.done();
        },
        2);
    queue.add("a");
    assertThat(firstRunStarted.await(5, TimeUnit.SECONDS)).isTrue();

    for (int i = 0; i < 5; i++) {
      queue.add("a");
    }
    release.countDown();

    await().atMost(BOUND).until(() -> runs("a") == 2);
    await().during(Duration.ofMillis(300)).atMost(BOUND).until(() -> runs("a") == 2);
  }

  @Test
  void exceptionsAndErrorsAreRetriedAndNeverKillAWorker() {
    AtomicInteger failuresLeft = new AtomicInteger(3);
    start(
        name -> {
          if (name.equals("flaky") && failuresLeft.getAndDecrement() > 0) {
            throw new IllegalStateException("the outside world said no");
          }
          if (name.equals("broken") && runs(name) == 1) {
            throw new StackOverflowError("a bug");
          }
          return Result.done();
        },
        1);

    queue.add("flaky");
    queue.add("broken");
    await().atMost(BOUND).until(() -> runs("flaky") == 4 && runs("broken") == 2);
    queue.add("healthy");

    await().atMost(BOUND).until(() -> runs("healthy") == 1);
    assertThat(queue.retries("flaky")).as("success forgets the backoff").isZero();
    assertThat(queue.retries("broken")).isZero();
  }

  @Test
  void aTerminalErrorIsRecordedAndNotRetried() {
    start(
        name -> {
          throw new TerminalError("spec.processes.web.count: must be at least 1");
        },
        1);

    queue.add("invalid");

    await().atMost(BOUND).until(() -> terminal.size() == 1);
    assertThat(terminal).containsExactly("invalid: spec.processes.web.count: must be at least 1");
    await().during(Duration.ofMillis(300)).atMost(BOUND).until(() -> runs("invalid") == 1);
    assertThat(queue.delayedCount()).isZero();
  }

  @Test
  void aTerminalErrorWhoseStatusTheReconcilerWroteIsNotRecordedOverIt() {
    start(
        name -> {
          if (name.equals("written")) {
            throw TerminalError.alreadyRecorded("MigrationFailed: job ended failed");
          }
          throw new TerminalError("not written");
        },
        1);

    queue.add("written");
    queue.add("plain");

    await().atMost(BOUND).until(() -> runs("written") == 1 && terminal.size() == 1);
    assertThat(terminal).containsExactly("plain: not written");
    await().during(Duration.ofMillis(300)).atMost(BOUND).until(() -> runs("written") == 1);
  }

  @Test
  void requeueAfterRunsTheNameAgainWithoutCountingAFailure() {
    start(name -> runs(name) < 3 ? Result.requeueAfter(Duration.ofMillis(20)) : Result.done(), 1);

    queue.add("waiting-for-rds");

    await().atMost(BOUND).until(() -> runs("waiting-for-rds") == 3);
    assertThat(queue.retries("waiting-for-rds")).isZero();
  }

  @Test
  void theAppNameIsInTheLoggingContextDuringAReconcile() {
    Map<String, String> seen = new ConcurrentHashMap<>();
    start(
        name -> {
          seen.put(name, MDC.get(WorkerPool.MDC_APP));
          return Result.done();
        },
        1);

    queue.add("deploy-new-checkout");

    await().atMost(BOUND).until(() -> seen.containsKey("deploy-new-checkout"));
    assertThat(seen).containsEntry("deploy-new-checkout", "deploy-new-checkout");
  }

  @Test
  void gracefulStopLetsRunningReconcilesFinishAndTakesNoNewWork() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    CountDownLatch release = new CountDownLatch(1);
    AtomicBoolean finished = new AtomicBoolean();
    start(
        name -> {
          started.countDown();
          release.await();
          finished.set(true);
          return Result.done();
        },
        1);
    queue.add("a");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();
    queue.add("b");

    // Let "a" finish only once the stop has begun, so that "b" could only run if stop let it.
    Thread releaser =
        new Thread(
            () -> {
              await().atMost(BOUND).until(queue::isShuttingDown);
              release.countDown();
            });
    releaser.start();
    boolean clean = pool.stop(Duration.ofSeconds(5));

    assertThat(clean).isTrue();
    assertThat(finished).isTrue();
    assertThat(runs("b")).as("no new work after stop").isZero();
  }

  @Test
  void aStopInterruptsReconcilesThatOutlastTheGracePeriod() throws Exception {
    CountDownLatch started = new CountDownLatch(1);
    AtomicBoolean interrupted = new AtomicBoolean();
    start(
        name -> {
          started.countDown();
          try {
            new CountDownLatch(1).await();
          } catch (InterruptedException e) {
            interrupted.set(true);
            throw e;
          }
          return Result.done();
        },
        1);
    queue.add("slow");
    assertThat(started.await(5, TimeUnit.SECONDS)).isTrue();

    boolean clean = pool.stop(Duration.ofMillis(100));

    assertThat(clean).isFalse();
    assertThat(interrupted).isTrue();
  }
}
