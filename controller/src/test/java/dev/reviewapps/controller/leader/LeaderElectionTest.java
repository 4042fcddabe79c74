package dev.reviewapps.controller.leader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.consul.RunningConsul;
import dev.reviewapps.consul.SessionRequest;
import dev.reviewapps.consul.Sessions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class LeaderElectionTest {
  private static final Duration TTL = Duration.ofSeconds(3);
  private static final Duration LOCK_DELAY = Duration.ofSeconds(1);
  // Consul invalidates a session up to twice its TTL after the last renewal; the campaign then
  // looks at the key again within its retry interval (1 s) after the lock-delay.
  private static final Duration HANDOVER_BOUND =
      TTL.multipliedBy(2).plus(LOCK_DELAY).plusSeconds(2);

  private RunningConsul consul;
  private final List<Candidate> candidates = new ArrayList<>();
  private final AtomicInteger leadingNow = new AtomicInteger();
  private final AtomicInteger mostAtOnce = new AtomicInteger();

  /** One controller: its election and whether it believes it leads. */
  private final class Candidate implements LeaderCallbacks {
    final AtomicBoolean leading = new AtomicBoolean();
    final AtomicLong stoppedAt = new AtomicLong();
    final AtomicInteger terms = new AtomicInteger();
    final LeaderElection election;

    Candidate(String identity, Sessions sessions) {
      election =
          new LeaderElection(
              consul.store(),
              sessions,
              new LeaderSettings("review-apps/leader", identity, TTL, LOCK_DELAY),
              this);
    }

    @Override
    public void startedLeading() {
      mostAtOnce.accumulateAndGet(leadingNow.incrementAndGet(), Math::max);
      leading.set(true);
      terms.incrementAndGet();
    }

    @Override
    public void stoppedLeading() {
      leading.set(false);
      leadingNow.decrementAndGet();
      stoppedAt.set(System.nanoTime());
    }
  }

  @BeforeEach
  void start() {
    consul = new RunningConsul();
  }

  @AfterEach
  void stop() {
    candidates.forEach(c -> c.election.close());
    consul.close();
  }

  private Candidate candidate(String identity) {
    return candidate(identity, consul.sessions());
  }

  private Candidate candidate(String identity, Sessions sessions) {
    Candidate c = new Candidate(identity, sessions);
    candidates.add(c);
    c.election.start();
    return c;
  }

  private Candidate awaitLeader() {
    await().atMost(HANDOVER_BOUND).until(() -> candidates.stream().anyMatch(c -> c.leading.get()));
    return candidates.stream().filter(c -> c.leading.get()).findFirst().orElseThrow();
  }

  @Test
  void ofThreeControllersExactlyOneLeadsAndAKilledLeaderIsReplacedWithinTheBound() {
    candidate("a");
    candidate("b");
    candidate("c");
    Candidate first = awaitLeader();
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> candidates.stream().allMatch(c -> c.election.leadershipKnown()));
    assertThat(consul.store().get("review-apps/leader").orElseThrow().session()).isPresent();

    long killed = System.nanoTime();
    first.election.abandon();
    Candidate second = awaitLeader();
    Duration handover = Duration.ofNanos(System.nanoTime() - killed);

    assertThat(second).isNotSameAs(first);
    assertThat(handover).isLessThanOrEqualTo(HANDOVER_BOUND);
    assertThat(handover)
        .as("not before the TTL: the dead leader's session was still valid")
        .isGreaterThanOrEqualTo(TTL);
    assertThat(mostAtOnce.get()).as("never two leaders at once").isEqualTo(1);
    System.out.println("leader.handover-after-kill = " + handover.toMillis() + " ms");
  }

  @Test
  void aLeaderThatStopsCleanlyHandsOverAtOnce() {
    candidate("a");
    Candidate first = awaitLeader();
    candidate("b");
    await().atMost(Duration.ofSeconds(5)).until(() -> candidates.get(1).election.leadershipKnown());

    long closed = System.nanoTime();
    first.election.close();
    Candidate second = awaitLeader();

    assertThat(second).isNotSameAs(first);
    assertThat(Duration.ofNanos(System.nanoTime() - closed))
        .as("released, so neither TTL nor lock-delay applies")
        .isLessThan(TTL);
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }

  @Test
  void aLeaderThatCannotRenewStopsBeforeItsTtlEndsAndCampaignsAgain() {
    AtomicBoolean consulUnreachable = new AtomicBoolean();
    Sessions real = consul.sessions();
    Sessions flaky =
        new Sessions() {
          @Override
          public String create(SessionRequest request) {
            if (consulUnreachable.get()) {
              throw new ConsulUnavailable("unreachable", 0);
            }
            return real.create(request);
          }

          @Override
          public boolean renew(String id) {
            if (consulUnreachable.get()) {
              throw new ConsulUnavailable("unreachable", 0);
            }
            return real.renew(id);
          }

          @Override
          public void destroy(String id) {
            if (!consulUnreachable.get()) {
              real.destroy(id);
            }
          }
        };
    Candidate leader = candidate("a", flaky);
    awaitLeader();
    await().atMost(Duration.ofSeconds(5)).until(() -> leader.terms.get() == 1);

    long cut = System.nanoTime();
    consulUnreachable.set(true);
    await().atMost(TTL.multipliedBy(2)).until(() -> !leader.leading.get());

    assertThat(Duration.ofNanos(leader.stoppedAt.get() - cut))
        .as("work stops before Consul may give the lock to anybody else")
        .isLessThan(TTL);

    consulUnreachable.set(false);
    await().atMost(HANDOVER_BOUND.multipliedBy(2)).until(() -> leader.terms.get() == 2);
    assertThat(leader.leading).isTrue();
  }

  @Test
  void aLeaderWhoseLockIsTakenAwayStepsDown() {
    Candidate leader = candidate("a");
    awaitLeader();
    KvEntry lock = consul.store().get("review-apps/leader").orElseThrow();

    // An operator deletes the lock key (or a restore drops it): the session no longer holds it.
    consul.store().delete("review-apps/leader");

    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> leader.terms.get() == 2 || !leader.leading.get());
    assertThat(lock.session()).isPresent();
    await().atMost(HANDOVER_BOUND).until(() -> leader.leading.get());
    assertThat(mostAtOnce.get()).isEqualTo(1);
  }
}
