package dev.reviewapps.controller.leader;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.consul.KvListing;
import dev.reviewapps.consul.SessionRequest;
import dev.reviewapps.consul.Sessions;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Leader election on a Consul lock, as in Consul's "application leader election" guide: a session
 * (TTL, lock-delay, behaviour release) and {@code PUT ?acquire=} on the leader key.
 *
 * <ul>
 *   <li>A campaign thread takes the lock when it is free and otherwise waits on the key with
 *       blocking queries; as leader it keeps watching that the key still names its session.
 *   <li>A renewer renews the session every {@code ttl/4}.
 *   <li>A watchdog steps down once no renewal has succeeded for {@code 3/4 ttl}, before Consul can
 *       hand the lock to anybody else, even if Consul cannot be reached at all.
 * </ul>
 *
 * A leader that loses its session <em>campaigns again</em>: it stops all work at once, destroys
 * what is left of its session, creates a new one and competes like any follower. It does not exit.
 * {@link #close()} releases the lock and destroys the session, so that a planned stop hands over at
 * once (Consul applies no lock-delay to a release).
 */
public final class LeaderElection implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(LeaderElection.class);
  private static final Duration RETRY = Duration.ofSeconds(1);

  private final KeyValueStore kv;
  private final Sessions sessions;
  private final LeaderSettings settings;
  private final LeaderCallbacks callbacks;
  private final ScheduledExecutorService timers;
  private final Thread campaign;
  private final CountDownLatch closed = new CountDownLatch(1);
  private final AtomicLong lastRenewedNanos = new AtomicLong();
  private final AtomicLong lastContactNanos = new AtomicLong();

  // Guarded by this.
  private Optional<String> session = Optional.empty();
  private boolean leader;
  private boolean knowsLeader;
  private boolean closing;

  public LeaderElection(
      KeyValueStore kv, Sessions sessions, LeaderSettings settings, LeaderCallbacks callbacks) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.sessions = Objects.requireNonNull(sessions, "sessions");
    this.settings = Objects.requireNonNull(settings, "settings");
    this.callbacks = Objects.requireNonNull(callbacks, "callbacks");
    this.timers =
        Executors.newScheduledThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "leader-election-timer");
              t.setDaemon(true);
              return t;
            });
    this.campaign = new Thread(this::campaign, "leader-election");
    campaign.setDaemon(true);
  }

  /** Starts campaigning. */
  public void start() {
    long every = settings.renewEvery().toMillis();
    timers.scheduleWithFixedDelay(this::renew, every, every, TimeUnit.MILLISECONDS);
    timers.scheduleWithFixedDelay(this::watchdog, 100, 100, TimeUnit.MILLISECONDS);
    campaign.start();
  }

  /** True while this process holds the lock and may work. */
  public synchronized boolean isLeader() {
    return leader;
  }

  /** True once this process knows whether it leads: it holds the lock or has seen who does. */
  public synchronized boolean leadershipKnown() {
    return leader || knowsLeader;
  }

  /** Time since Consul last answered a call of the election, if it ever did. */
  public Optional<Duration> sinceLastContact() {
    long last = lastContactNanos.get();
    return last == 0 ? Optional.empty() : Optional.of(Duration.ofNanos(System.nanoTime() - last));
  }

  private void campaign() {
    long index = 0;
    boolean lockSeenFree = true;
    while (closed.getCount() > 0) {
      try {
        String id = ensureSession();
        boolean following = !isLeader();
        if (following && lockSeenFree) {
          if (kv.acquire(settings.key(), identity(), id)) {
            contact();
            becomeLeader(id);
            index = 0;
            continue;
          }
          contact();
        }
        // A follower that just found the lock free but could not take it (lock-delay) looks
        // again at once; otherwise wait for the key to change. The wait is bounded so that a
        // closed election notices soon.
        BlockingQuery query =
            following && lockSeenFree
                ? BlockingQuery.NONE
                : new BlockingQuery(Math.max(index, 1), settings.ttl());
        KvListing listing = kv.read(settings.key(), query);
        contact();
        index = listing.index() < index ? 0 : listing.index();
        Optional<String> holder = listing.entries().stream().findFirst().flatMap(KvEntry::session);
        synchronized (this) {
          knowsLeader = true;
        }
        if (isLeader()) {
          if (!holder.equals(Optional.of(id))) {
            stepDown("the leader key no longer names this session");
            lockSeenFree = holder.isEmpty();
          }
        } else if (holder.isEmpty()) {
          if (lockSeenFree) {
            pause(RETRY);
          }
          lockSeenFree = true;
        } else {
          lockSeenFree = false;
        }
      } catch (ConsulUnavailable e) {
        log.warn("leader election: {}", e.getMessage());
        index = 0;
        lockSeenFree = true;
        pause(RETRY);
      } catch (RuntimeException e) {
        log.error("leader election failed; trying again", e);
        index = 0;
        lockSeenFree = true;
        pause(RETRY);
      }
    }
  }

  private String ensureSession() {
    synchronized (this) {
      if (session.isPresent()) {
        return session.get();
      }
    }
    long started = System.nanoTime();
    String id =
        sessions.create(
            new SessionRequest(
                "review-apps-leader " + settings.identity(), settings.ttl(), settings.lockDelay()));
    contact();
    synchronized (this) {
      if (closing) {
        sessions.destroy(id);
        throw new ConsulUnavailable("closing", 0);
      }
      session = Optional.of(id);
      lastRenewedNanos.set(started);
      return id;
    }
  }

  private void renew() {
    Optional<String> id;
    synchronized (this) {
      id = session;
    }
    if (id.isEmpty()) {
      return;
    }
    long started = System.nanoTime();
    try {
      if (sessions.renew(id.get())) {
        contact();
        lastRenewedNanos.set(started);
      } else {
        contact();
        loseSession(id.get(), "the session expired");
      }
    } catch (ConsulUnavailable e) {
      // The watchdog decides when too many renewals have failed.
      log.warn("leader election: {}", e.getMessage());
    } catch (RuntimeException e) {
      log.error("session renewal failed", e);
    }
  }

  private void watchdog() {
    Optional<String> id;
    synchronized (this) {
      id = session;
    }
    Duration since = Duration.ofNanos(System.nanoTime() - lastRenewedNanos.get());
    if (id.isPresent() && since.compareTo(settings.stepDownAfter()) > 0) {
      loseSession(id.get(), "no renewal succeeded for " + since.toMillis() + " ms");
    }
  }

  private synchronized void becomeLeader(String id) {
    if (closing || !session.equals(Optional.of(id))) {
      return;
    }
    leader = true;
    knowsLeader = true;
    log.info("leader election: this process is the leader now");
    callbacks.startedLeading();
  }

  private synchronized void stepDown(String why) {
    if (leader) {
      leader = false;
      log.warn("leader election: stepping down: {}", why);
      callbacks.stoppedLeading();
    }
  }

  /** Stops work, forgets the session and lets the campaign start over with a new one. */
  private void loseSession(String id, String why) {
    synchronized (this) {
      if (!session.equals(Optional.of(id))) {
        return;
      }
      stepDown(why);
      session = Optional.empty();
      knowsLeader = false;
    }
    // What is left of it must not hold the lock any longer than needed.
    timers.execute(() -> destroyQuietly(id));
  }

  private void destroyQuietly(String id) {
    try {
      sessions.destroy(id);
    } catch (RuntimeException e) {
      log.debug("could not destroy an old session: {}", e.getMessage());
    }
  }

  private void contact() {
    lastContactNanos.set(System.nanoTime());
  }

  private byte[] identity() {
    return settings.identity().getBytes(StandardCharsets.UTF_8);
  }

  private void pause(Duration d) {
    try {
      closed.await(d.toMillis(), TimeUnit.MILLISECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      closed.countDown();
    }
  }

  /**
   * Stops campaigning; a leader stops its work (callback), releases the lock and destroys its
   * session so that another controller takes over without waiting for TTL or lock-delay.
   */
  @Override
  public void close() {
    Optional<String> id;
    synchronized (this) {
      closing = true;
      stepDown("shutting down");
      id = session;
      session = Optional.empty();
    }
    closed.countDown();
    timers.shutdownNow();
    id.ifPresent(
        s -> {
          try {
            kv.release(settings.key(), s);
          } catch (RuntimeException e) {
            log.warn("could not release the leader lock: {}", e.getMessage());
          }
          destroyQuietly(s);
        });
  }

  /**
   * For tests: stops every thread without releasing anything, as if the process had been killed;
   * Consul lets the session expire after its TTL.
   */
  public void abandon() {
    synchronized (this) {
      closing = true;
      stepDown("abandoned");
      session = Optional.empty();
    }
    closed.countDown();
    timers.shutdownNow();
  }
}
