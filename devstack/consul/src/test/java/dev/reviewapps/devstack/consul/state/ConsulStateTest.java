package dev.reviewapps.devstack.consul.state;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The state machine's index and transaction rules, without HTTP. */
class ConsulStateTest {
  private final ConsulState state = new ConsulState(Clock.systemUTC());

  @AfterEach
  void close() {
    state.close();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  private void set(String key, String value) {
    assertThat(state.apply(List.of(new KvOp.Set(key, bytes(value), 0))))
        .isInstanceOf(TxnOutcome.Committed.class);
  }

  @Test
  void anEmptyStoreAnswersIndexOneNeverZero() {
    assertThat(state.readKey("nothing").index()).isEqualTo(1);
    assertThat(state.readPrefix("nothing/").index()).isEqualTo(1);
  }

  @Test
  void theFirstWriteToAnEmptyStoreMovesPastTheIndexAnEmptyReadAnswered() {
    // A watcher parked on an empty store's index must wake on the first write (the router's
    // watch starts exactly like this on a fresh Consul).
    long emptyRead = state.readPrefix("routes/").index();
    set("routes/a.example.com", "127.0.0.1:8080");
    assertThat(state.readPrefix("routes/").index()).isGreaterThan(emptyRead);
    assertThat(state.readKey("routes/a.example.com").index()).isGreaterThan(emptyRead);
  }

  @Test
  void aDeleteLeavesATombstoneThatKeepsThePrefixIndex() {
    set("p/a", "1");
    set("p/b", "2");
    set("other", "3");
    long beforeDelete = state.readPrefix("p/").index();

    state.apply(List.of(new KvOp.Delete("p/b")));

    long afterDelete = state.readPrefix("p/").index();
    assertThat(afterDelete).isGreaterThan(beforeDelete);
    set("elsewhere", "4");
    assertThat(state.readPrefix("p/").index()).isEqualTo(afterDelete);
  }

  @Test
  void aFailedTransactionRestoresEntriesTombstonesAndIndexes() {
    set("k", "old");
    Reads.Prefix before = state.readPrefix("");

    TxnOutcome outcome =
        state.apply(
            List.of(
                new KvOp.Delete("k"),
                new KvOp.Set("new", bytes("n"), 0),
                new KvOp.CheckNotExists("new")));

    assertThat(outcome).isInstanceOf(TxnOutcome.RolledBack.class);
    Reads.Prefix after = state.readPrefix("");
    assertThat(after.index()).isEqualTo(before.index());
    assertThat(after.entries()).isEqualTo(before.entries());
    assertThat(state.readPrefix("k").index()).isEqualTo(before.index());
  }

  @Test
  void observersSeeOneCommitPerTransactionWithEveryKeyItTouched() {
    List<Commit> seen = new ArrayList<>();
    state.observe(seen::add);
    set("gone", "x");
    seen.clear();

    state.apply(
        List.of(new KvOp.Set("a", bytes("1"), 0), new KvOp.Delete("gone"), new KvOp.Get("a")));

    assertThat(seen).hasSize(1);
    Commit commit = seen.get(0);
    assertThat(commit.touchesKey("a"::equals)).isTrue();
    assertThat(commit.touchesKey("gone"::equals)).isTrue();
    assertThat(commit.touchesKey("b"::equals)).isFalse();
  }

  @Test
  void anIdenticalWriteCommitsNothing() {
    set("k", "v");
    List<Commit> seen = new ArrayList<>();
    state.observe(seen::add);

    set("k", "v");

    assertThat(seen).isEmpty();
  }

  @Test
  void destroyingASessionReleasesItsLocksAndStartsLockDelay() {
    Session session =
        state.createSession(
            new SessionRequest(
                "s",
                "node",
                Duration.ofSeconds(30),
                Behavior.RELEASE,
                Optional.empty(),
                List.of()));
    Session other =
        state.createSession(
            new SessionRequest(
                "o", "node", Duration.ZERO, Behavior.RELEASE, Optional.empty(), List.of()));
    state.apply(List.of(new KvOp.Lock("lock", bytes("me"), 0, session.id())));

    state.destroySession(session.id());

    KvEntry released = state.readKey("lock").entry().orElseThrow();
    assertThat(released.session()).isEmpty();
    assertThat(released.value()).isEqualTo(bytes("me"));
    TxnOutcome retry = state.apply(List.of(new KvOp.Lock("lock", bytes("o"), 0, other.id())));
    assertThat(retry).isInstanceOf(TxnOutcome.RolledBack.class);
    assertThat(((TxnOutcome.RolledBack) retry).failures().get(0).what()).contains("lock delay");
  }

  @Test
  void aSnapshotRestoresIntoAnEqualState() {
    set("a", "1");
    set("b/c", "2");
    state.apply(List.of(new KvOp.Delete("a")));
    set("a", "again");

    ConsulState copy = new ConsulState(Clock.systemUTC());
    try {
      copy.restore(state.snapshot());

      assertThat(copy.readPrefix("").entries()).isEqualTo(state.readPrefix("").entries());
      assertThat(copy.readPrefix("a").index()).isEqualTo(state.readPrefix("a").index());
      assertThat(copy.readKey("zzz").index()).isEqualTo(state.readKey("zzz").index());
    } finally {
      copy.close();
    }
  }
}
