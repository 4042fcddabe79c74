package dev.reviewapps.devstack.consul.state;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The whole state of the stand-in, behind one monitor: Consul serialises writes through Raft, and
 * one lock gives the same total order. Reads take the lock briefly; blocking queries wait outside
 * it.
 *
 * <p>Indexes follow Consul's state store: one Raft-style index per change, a KV table index and a
 * sessions table index; a deleted key leaves a tombstone whose index keeps prefix queries moving
 * forward, so a watcher sees deletes. Tombstones are kept for the life of the process (Consul reaps
 * them after {@code tombstone_ttl}).
 */
public final class ConsulState implements AutoCloseable {
  private final TreeMap<String, KvEntry> kv = new TreeMap<>();
  private final TreeMap<String, Long> tombstones = new TreeMap<>();
  private final TreeMap<String, Session> sessions = new TreeMap<>();
  // Lock-delays live outside the replicated state in Consul too: they are wall-clock deadlines.
  private final Map<String, Instant> lockDelays = new HashMap<>();
  private final Map<String, ScheduledFuture<?>> ttlTimers = new HashMap<>();
  private final List<Consumer<Commit>> observers = new CopyOnWriteArrayList<>();
  private final ScheduledExecutorService timers;
  private final Clock clock;
  private CommitLog log = CommitLog.none();
  // Volatile so blocking queries can tell whether anything changed without taking the lock.
  private volatile long index;
  private long kvsIndex;
  private long sessionsIndex;

  public ConsulState(Clock clock) {
    this.clock = clock;
    // A real server's Raft log is never empty when it first answers (leadership and
    // configuration entries come first), so reads of an empty store say index 1 and the first
    // write gets a higher one. Starting at 0 would give the first write index 1, and a watcher
    // parked on the empty store's index 1 would miss it.
    this.index = 1;
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, "devstack-consul-session-ttl");
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    this.timers = executor;
  }

  /** Sends every later commit to {@code log} before it becomes visible. */
  public synchronized void attachLog(CommitLog log) {
    this.log = log;
  }

  /** Calls {@code observer} after each commit, outside the lock (blocking queries wake here). */
  public void observe(Consumer<Commit> observer) {
    observers.add(observer);
  }

  // ---- reads ----

  /** The index of the last change of any kind. */
  public long lastIndex() {
    return index;
  }

  /** One key: its ModifyIndex when present, else the KV table index (never 0). */
  public synchronized Reads.Key readKey(String key) {
    KvEntry entry = kv.get(key);
    if (entry != null) {
      return new Reads.Key(entry.modifyIndex(), Optional.of(entry));
    }
    return new Reads.Key(Math.max(1, kvsIndex), Optional.empty());
  }

  /** Every entry under {@code prefix}, with Consul's index for a prefix query. */
  public synchronized Reads.Prefix readPrefix(String prefix) {
    List<KvEntry> entries = under(prefix);
    long highest = entries.stream().mapToLong(KvEntry::modifyIndex).max().orElse(0);
    return new Reads.Prefix(prefixIndex(prefix, highest), entries);
  }

  /**
   * Key names under {@code prefix}; with a separator, a key that has the separator after the prefix
   * is cut just after it and listed once ({@code ?keys&separator=/}).
   */
  public synchronized Reads.Keys readKeys(String prefix, String separator) {
    List<String> keys = new ArrayList<>();
    long highest = 0;
    String previous = null;
    for (KvEntry entry : under(prefix)) {
      highest = Math.max(highest, entry.modifyIndex());
      String key = entry.key();
      if (!separator.isEmpty()) {
        int at = key.indexOf(separator, prefix.length());
        if (at >= 0) {
          key = key.substring(0, at + separator.length());
          if (key.equals(previous)) {
            continue;
          }
        }
      }
      keys.add(key);
      previous = key;
    }
    return new Reads.Keys(prefixIndex(prefix, highest), keys);
  }

  private List<KvEntry> under(String prefix) {
    List<KvEntry> entries = new ArrayList<>();
    for (Map.Entry<String, KvEntry> e : kv.tailMap(prefix, true).entrySet()) {
      if (!e.getKey().startsWith(prefix)) {
        break;
      }
      entries.add(e.getValue());
    }
    return entries;
  }

  // Consul's kvsListTxn: the highest ModifyIndex or tombstone under the prefix; the whole table's
  // index for the empty prefix or when the prefix never held anything.
  private long prefixIndex(String prefix, long highestEntry) {
    long sub = highestEntry;
    if (prefix.isEmpty()) {
      sub = kvsIndex;
    } else {
      for (Map.Entry<String, Long> t : tombstones.tailMap(prefix, true).entrySet()) {
        if (!t.getKey().startsWith(prefix)) {
          break;
        }
        sub = Math.max(sub, t.getValue());
      }
    }
    return Math.max(1, sub != 0 ? sub : kvsIndex);
  }

  // ---- KV writes ----

  /** Applies the operations all or nothing. A single-key PUT or DELETE is a list of one. */
  public TxnOutcome apply(List<KvOp> ops) {
    Commit commit = null;
    TxnOutcome outcome;
    synchronized (this) {
      Changes changes = new Changes(index + 1);
      List<KvEntry> results = new ArrayList<>();
      List<OpFailure> failures = new ArrayList<>();
      for (int i = 0; i < ops.size(); i++) {
        try {
          run(ops.get(i), changes, results);
        } catch (Refusal r) {
          failures.add(new OpFailure(i, r.getMessage(), r.refused));
        }
      }
      if (!failures.isEmpty()) {
        changes.rollBack();
        outcome = new TxnOutcome.RolledBack(failures);
      } else {
        if (changes.any()) {
          commit = commitKv(changes);
        }
        outcome = new TxnOutcome.Committed(results);
      }
    }
    if (commit != null) {
      publish(commit);
    }
    return outcome;
  }

  private Commit commitKv(Changes changes) {
    long previousIndex = index;
    long previousKvs = kvsIndex;
    index = changes.index;
    kvsIndex = changes.index;
    Commit commit = changes.toCommit(List.of());
    try {
      log.append(commit);
    } catch (IOException e) {
      changes.rollBack();
      index = previousIndex;
      kvsIndex = previousKvs;
      throw new UncheckedIOException("cannot journal commit " + commit.index(), e);
    }
    return commit;
  }

  private void run(KvOp op, Changes changes, List<KvEntry> results) throws Refusal {
    String key = op.key();
    KvEntry existing = kv.get(key);
    if (op instanceof KvOp.Set set) {
      results.add(set(changes, key, set.value(), set.flags()).withoutValue());
    } else if (op instanceof KvOp.Cas cas) {
      long current = existing == null ? 0 : existing.modifyIndex();
      if (cas.index() != current) {
        throw new Refusal("failed to set key " + quote(key) + ", index is stale", true);
      }
      results.add(set(changes, key, cas.value(), cas.flags()).withoutValue());
    } else if (op instanceof KvOp.Lock lock) {
      results.add(lock(changes, lock, existing).withoutValue());
    } else if (op instanceof KvOp.Unlock unlock) {
      results.add(unlock(changes, unlock, existing).withoutValue());
    } else if (op instanceof KvOp.Get) {
      results.add(require(existing, key));
    } else if (op instanceof KvOp.GetTree) {
      results.addAll(under(key));
    } else if (op instanceof KvOp.CheckIndex check) {
      KvEntry entry = require(existing, key);
      if (entry.modifyIndex() != check.index()) {
        throw new Refusal(
            "current modify index "
                + entry.modifyIndex()
                + " != "
                + check.index()
                + " for key "
                + quote(key),
            true);
      }
      results.add(entry.withoutValue());
    } else if (op instanceof KvOp.CheckSession check) {
      KvEntry entry = require(existing, key);
      if (!entry.session().orElse("").equals(check.session())) {
        throw new Refusal(
            "current session "
                + quote(entry.session().orElse(""))
                + " != "
                + quote(check.session())
                + " for key "
                + quote(key),
            true);
      }
      results.add(entry.withoutValue());
    } else if (op instanceof KvOp.CheckNotExists) {
      if (existing != null) {
        throw new Refusal("key " + quote(key) + " exists", true);
      }
    } else if (op instanceof KvOp.Delete) {
      changes.delete(key);
    } else if (op instanceof KvOp.DeleteCas delete) {
      // Consul answers true for a delete-cas of a key that is already gone.
      if (existing != null) {
        if (existing.modifyIndex() != delete.index()) {
          throw new Refusal("failed to delete key " + quote(key) + ", index is stale", true);
        }
        changes.delete(key);
      }
    } else if (op instanceof KvOp.DeleteTree) {
      for (KvEntry entry : under(key)) {
        changes.delete(entry.key());
      }
    }
  }

  private KvEntry unlock(Changes changes, KvOp.Unlock unlock, KvEntry existing) throws Refusal {
    requireSessionGiven(unlock.session());
    if (existing == null || !existing.session().equals(Optional.of(unlock.session()))) {
      throw new Refusal(
          "failed to unlock key "
              + quote(unlock.key())
              + ", lock isn't held, or is held by another session",
          true);
    }
    return write(
        changes,
        new KvEntry(
            unlock.key(),
            unlock.value(),
            unlock.flags(),
            Optional.empty(),
            existing.lockIndex(),
            existing.createIndex(),
            0));
  }

  // A plain set keeps the lock holder but, as in Consul's kvsSetTxn, takes LockIndex from the
  // request, which is 0 for every HTTP write.
  private KvEntry set(Changes changes, String key, byte[] value, long flags) {
    KvEntry existing = kv.get(key);
    KvEntry proposed =
        new KvEntry(
            key,
            value,
            flags,
            existing == null ? Optional.empty() : existing.session(),
            0,
            existing == null ? changes.index : existing.createIndex(),
            0);
    return write(changes, proposed);
  }

  private KvEntry lock(Changes changes, KvOp.Lock lock, KvEntry existing) throws Refusal {
    String key = lock.key();
    Instant until = lockDelays.get(key);
    if (until != null && until.isAfter(clock.instant())) {
      throw new Refusal("failed to lock key " + quote(key) + " due to lock delay", true);
    }
    requireSessionGiven(lock.session());
    if (!sessions.containsKey(lock.session())) {
      throw new Refusal("invalid session " + quote(lock.session()), false);
    }
    long lockIndex;
    long createIndex;
    if (existing == null) {
      lockIndex = 1;
      createIndex = changes.index;
    } else if (existing.session().equals(Optional.of(lock.session()))) {
      lockIndex = existing.lockIndex();
      createIndex = existing.createIndex();
    } else if (existing.session().isPresent()) {
      throw new Refusal("failed to lock key " + quote(key) + ", lock is already held", true);
    } else {
      lockIndex = existing.lockIndex() + 1;
      createIndex = existing.createIndex();
    }
    return write(
        changes,
        new KvEntry(
            key,
            lock.value(),
            lock.flags(),
            Optional.of(lock.session()),
            lockIndex,
            createIndex,
            0));
  }

  private KvEntry write(Changes changes, KvEntry proposed) {
    KvEntry existing = kv.get(proposed.key());
    if (existing != null && existing.sameContent(proposed)) {
      return existing;
    }
    KvEntry stored = proposed.withModifyIndex(changes.index);
    changes.put(stored);
    return stored;
  }

  private static KvEntry require(KvEntry existing, String key) throws Refusal {
    if (existing == null) {
      throw new Refusal("key " + quote(key) + " doesn't exist", true);
    }
    return existing;
  }

  private static void requireSessionGiven(String session) throws Refusal {
    if (session.isEmpty()) {
      throw new Refusal("missing session", false);
    }
  }

  /** Go's {@code %q}, which Consul's messages use for keys and session IDs. */
  static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  // ---- sessions ----

  /** Creates a session and starts its TTL timer. */
  public Session createSession(SessionRequest request) {
    Commit commit;
    Session session;
    synchronized (this) {
      long idx = index + 1;
      session =
          new Session(
              UUID.randomUUID().toString(),
              request.name(),
              request.node(),
              request.lockDelay(),
              request.behavior(),
              request.ttl(),
              request.nodeChecks(),
              idx,
              idx);
      sessions.put(session.id(), session);
      long previousIndex = index;
      long previousSessions = sessionsIndex;
      index = idx;
      sessionsIndex = idx;
      commit =
          new Commit(
              idx, kvsIndex, sessionsIndex, List.of(), Map.of(), List.of(session), List.of());
      try {
        log.append(commit);
      } catch (IOException e) {
        sessions.remove(session.id());
        index = previousIndex;
        sessionsIndex = previousSessions;
        throw new UncheckedIOException("cannot journal session", e);
      }
      scheduleTtl(session);
    }
    publish(commit);
    return session;
  }

  /** Restarts the TTL clock of a session; empty if the session does not exist. */
  public synchronized Optional<Session> renewSession(String id) {
    Session session = sessions.get(id);
    if (session != null) {
      scheduleTtl(session);
    }
    return Optional.ofNullable(session);
  }

  /**
   * Invalidates a session: its locks are released (or its keys deleted) and lock-delay starts on
   * each of them. Destroying an unknown session is not an error, as in Consul.
   */
  public void destroySession(String id) {
    Commit commit;
    synchronized (this) {
      commit = invalidate(id);
    }
    if (commit != null) {
      publish(commit);
    }
  }

  private Commit invalidate(String id) {
    Session session = sessions.get(id);
    if (session == null) {
      return null;
    }
    Changes changes = new Changes(index + 1);
    Instant now = clock.instant();
    for (KvEntry entry : List.copyOf(kv.values())) {
      if (!entry.session().equals(Optional.of(id))) {
        continue;
      }
      if (session.behavior() == Behavior.DELETE) {
        changes.delete(entry.key());
      } else {
        write(
            changes,
            new KvEntry(
                entry.key(),
                entry.value(),
                entry.flags(),
                Optional.empty(),
                entry.lockIndex(),
                entry.createIndex(),
                0));
      }
      if (!session.lockDelay().isZero()) {
        lockDelays.put(entry.key(), now.plus(session.lockDelay()));
      }
    }
    sessions.remove(id);
    ScheduledFuture<?> timer = ttlTimers.remove(id);
    if (timer != null) {
      timer.cancel(false);
    }
    index = changes.index;
    sessionsIndex = changes.index;
    if (changes.any()) {
      kvsIndex = changes.index;
    }
    Commit commit = changes.toCommit(List.of(id));
    try {
      log.append(commit);
    } catch (IOException e) {
      // The session is gone in memory either way; a replay would bring it back with its locks,
      // which is what a crash before the Raft commit would do in Consul.
      throw new UncheckedIOException("cannot journal session invalidation", e);
    }
    return commit;
  }

  private void scheduleTtl(Session session) {
    ScheduledFuture<?> previous = ttlTimers.remove(session.id());
    if (previous != null) {
      previous.cancel(false);
    }
    session
        .ttl()
        .ifPresent(
            ttl ->
                ttlTimers.put(
                    session.id(),
                    timers.schedule(
                        () -> destroySession(session.id()),
                        ttl.invalidateAfter().toMillis(),
                        TimeUnit.MILLISECONDS)));
  }

  /** One session, or none, with the sessions table index. */
  public synchronized Reads.Sessions readSession(String id) {
    Session session = sessions.get(id);
    return new Reads.Sessions(
        Math.max(1, sessionsIndex), session == null ? List.of() : List.of(session));
  }

  /** Every session, or those of one node. */
  public synchronized Reads.Sessions readSessions(Optional<String> node) {
    List<Session> list =
        sessions.values().stream().filter(s -> node.map(s.node()::equals).orElse(true)).toList();
    return new Reads.Sessions(Math.max(1, sessionsIndex), list);
  }

  // ---- persistence ----

  /** The whole state as one commit, for a snapshot file. */
  public synchronized Commit snapshot() {
    return new Commit(
        index,
        kvsIndex,
        sessionsIndex,
        List.copyOf(kv.values()),
        new LinkedHashMap<>(tombstones),
        List.copyOf(sessions.values()),
        List.of());
  }

  /**
   * Replays a journaled commit or a snapshot. TTL timers start afresh, as Consul resets them when a
   * new leader takes over.
   */
  public synchronized void restore(Commit commit) {
    // Tombstones first: a snapshot lists the tombstone of a key that was later created again.
    commit
        .deleted()
        .forEach(
            (key, at) -> {
              kv.remove(key);
              tombstones.put(key, at);
            });
    for (KvEntry entry : commit.written()) {
      kv.put(entry.key(), entry);
    }
    for (Session session : commit.sessionsWritten()) {
      sessions.put(session.id(), session);
      scheduleTtl(session);
    }
    for (String id : commit.sessionsRemoved()) {
      sessions.remove(id);
      ScheduledFuture<?> timer = ttlTimers.remove(id);
      if (timer != null) {
        timer.cancel(false);
      }
    }
    index = Math.max(index, commit.index());
    kvsIndex = Math.max(kvsIndex, commit.kvsIndex());
    sessionsIndex = Math.max(sessionsIndex, commit.sessionsIndex());
  }

  private void publish(Commit commit) {
    for (Consumer<Commit> observer : observers) {
      observer.accept(commit);
    }
  }

  @Override
  public void close() {
    timers.shutdownNow();
  }

  /** The writes of one transaction so far, with what they replaced, so it can be undone. */
  private final class Changes {
    final long index;
    final Map<String, KvEntry> written = new LinkedHashMap<>();
    final Map<String, Long> deleted = new LinkedHashMap<>();
    private final Map<String, Optional<KvEntry>> priorEntries = new LinkedHashMap<>();
    private final Map<String, Optional<Long>> priorTombstones = new LinkedHashMap<>();

    Changes(long index) {
      this.index = index;
    }

    void put(KvEntry entry) {
      remember(entry.key());
      kv.put(entry.key(), entry);
      written.put(entry.key(), entry);
      deleted.remove(entry.key());
    }

    void delete(String key) {
      if (!kv.containsKey(key)) {
        return;
      }
      remember(key);
      kv.remove(key);
      tombstones.put(key, index);
      written.remove(key);
      deleted.put(key, index);
    }

    // Called once the table indexes are updated.
    Commit toCommit(List<String> sessionsRemoved) {
      return new Commit(
          ConsulState.this.index,
          kvsIndex,
          sessionsIndex,
          List.copyOf(written.values()),
          deleted,
          List.of(),
          sessionsRemoved);
    }

    boolean any() {
      return !written.isEmpty() || !deleted.isEmpty();
    }

    private void remember(String key) {
      priorEntries.computeIfAbsent(key, k -> Optional.ofNullable(kv.get(k)));
      priorTombstones.computeIfAbsent(key, k -> Optional.ofNullable(tombstones.get(k)));
    }

    void rollBack() {
      priorEntries.forEach(
          (key, prior) -> prior.ifPresentOrElse(e -> kv.put(key, e), () -> kv.remove(key)));
      priorTombstones.forEach(
          (key, prior) ->
              prior.ifPresentOrElse(t -> tombstones.put(key, t), () -> tombstones.remove(key)));
    }
  }

  /** An operation that did not succeed; see {@link OpFailure#refused()}. */
  private static final class Refusal extends Exception {
    private static final long serialVersionUID = 1L;
    final boolean refused;

    Refusal(String message, boolean refused) {
      super(message, null, false, false);
      this.refused = refused;
    }
  }
}
