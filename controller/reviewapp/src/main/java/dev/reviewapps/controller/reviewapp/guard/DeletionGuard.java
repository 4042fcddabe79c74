package dev.reviewapps.controller.reviewapp.guard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.reviewapp.teardown.TeardownGate;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The mass-deletion guard. A spec prefix that suddenly reads empty (an ACL token lost its rights)
 * or a branch listing that comes back empty (the Git host failed) must not tear down every review
 * app at once. Two places ask it:
 *
 * <ul>
 *   <li>the teardown, through {@link TeardownGate}: when the apps whose spec is gone but whose
 *       inventory exists (pending teardowns) exceed the {@link GuardLimits}, none of them may
 *       begin;
 *   <li>a garbage-collection pass ({@link #admit}): when the specs it would delete exceed the
 *       limits, it deletes none.
 * </ul>
 *
 * <p>While something is held, {@code <prefix>/guard/held} says what and why (JSON {@code {"reason",
 * "apps", "since"}}, the contract of {@link ReviewAppKeys#guardHeld()}), the gauge {@code
 * review_apps_deletion_guard_held} counts the apps and a WARN line says how to confirm. An operator
 * confirms with {@code reviewctl guard confirm} or by writing {@code <prefix>/guard/confirm}
 * ({@code {"apps": [...], "at": ...}}): the apps listed may go, and the key is removed once they
 * are all gone (no spec, no inventory); an app whose spec is back while no hold asks to delete it
 * is taken off it. A hold clears by itself when the deletions fall back under the limits (the specs
 * reappear, the listing recovers): {@link #reevaluate()} notices it even when no teardown asks
 * again.
 */
public final class DeletionGuard implements TeardownGate {
  private static final Logger LOG = LoggerFactory.getLogger(DeletionGuard.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  /** The holder of a hold: pending teardowns, or one garbage-collection pass. */
  static final String TEARDOWN = "teardown";

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final ReviewAppKeys keys;
  private final GuardLimits limits;
  private final Clock clock;
  private final AtomicInteger heldApps = new AtomicInteger();
  // Per holder: why and which apps. Only the leader runs teardowns and passes, so memory is the
  // truth and the key is its published copy.
  private final Map<String, Hold> holds = new TreeMap<>();
  private Optional<Published> published = Optional.empty();

  /** What a holder asks to delete, and which of those are held (not confirmed). */
  private record Hold(String reason, Set<String> asked, Set<String> held) {}

  private record Published(String reason, Set<String> apps, Instant since) {}

  public DeletionGuard(
      KeyValueStore kv, KeyLayout layout, GuardLimits limits, MeterRegistry registry, Clock clock) {
    this.kv = kv;
    this.layout = layout;
    this.keys = new ReviewAppKeys(layout);
    this.limits = limits;
    this.clock = clock;
    Gauge.builder("review_apps_deletion_guard_held", heldApps, AtomicInteger::get)
        .description("Review apps whose deletion the mass-deletion guard holds back")
        .strongReference(true)
        .register(registry);
  }

  /** The limits in force. */
  public GuardLimits limits() {
    return limits;
  }

  @Override
  public Optional<String> holdReason(String app) {
    Optional<String> reason = judgeTeardowns();
    return reason.isPresent() && confirmed().contains(app) ? Optional.empty() : reason;
  }

  /**
   * Holds the pending teardowns while they exceed the limits (the confirmed ones excepted), else
   * releases their hold.
   *
   * @return why they are held; empty when they are within the limits
   */
  private Optional<String> judgeTeardowns() {
    Set<String> inventories = names(layout.inventories());
    Set<String> pending = new TreeSet<>(inventories);
    pending.removeAll(names(layout.specs()));
    int total = inventories.size();
    if (!limits.exceeded(pending.size(), total)) {
      release(TEARDOWN);
      return Optional.empty();
    }
    String reason =
        "teardown of " + limits.explain(pending.size(), total) + ": their specs are gone";
    hold(TEARDOWN, reason, pending, confirmed());
    return Optional.of(reason);
  }

  /**
   * Which of the {@code candidates} a garbage-collection pass may delete now: all of them when they
   * are within the limits, else only those an operator confirmed (the rest are held).
   *
   * @param pass the pass's name, e.g. {@code gc}
   * @param total how many apps there are (specs), for the share limit
   */
  public Set<String> admit(String pass, Set<String> candidates, int total, String why) {
    if (!limits.exceeded(candidates.size(), total)) {
      release(pass);
      return Set.copyOf(candidates);
    }
    Set<String> confirmed = confirmed();
    hold(
        pass,
        pass
            + " would delete the specs of "
            + limits.explain(candidates.size(), total)
            + ": "
            + why,
        candidates,
        confirmed);
    Set<String> admitted = new TreeSet<>(candidates);
    admitted.retainAll(confirmed);
    return admitted;
  }

  /**
   * Re-checks the teardown hold (it clears when specs reappear, although no teardown asks then),
   * takes off the confirmation the apps whose spec is back, and removes a confirmation whose apps
   * are all gone. Run periodically by the leader.
   */
  public void reevaluate() {
    judgeTeardowns();
    tidyConfirmation();
    synchronized (this) {
      if (published.isEmpty() && kv.get(keys.guardHeld()).isPresent()) {
        // Left by an earlier leader whose hold has cleared since.
        kv.delete(keys.guardHeld());
      }
    }
  }

  /**
   * Keeps the confirmation to the deletions it can still answer: removed once no app it lists is
   * left to delete, and without the apps that came back. A confirmation is for the deletion an
   * operator saw held. An app listed in it whose spec is back, and which no hold of this leader
   * asks to delete, was not deleted after all (the ACL token got its rights back, the branch
   * listing recovered): it is taken off, or a later deletion of it, in a mass deletion that is
   * held, would go through unheld. After a change of leader the holds are asked again from scratch,
   * so a confirmation of garbage-collection candidates may be taken off before the new leader's
   * first pass: they are held again and must be confirmed again, the safe way round.
   */
  private synchronized void tidyConfirmation() {
    Optional<KvEntry> confirm = kv.get(keys.guardConfirm());
    if (confirm.isEmpty()) {
      return;
    }
    Set<String> listed = parseConfirm(confirm.get());
    Set<String> specs = names(layout.specs());
    Set<String> returned = new TreeSet<>(listed);
    returned.retainAll(specs);
    holds.values().forEach(h -> returned.removeAll(h.asked()));
    Set<String> rest = minus(listed, returned);
    Set<String> present = new HashSet<>(specs);
    present.addAll(names(layout.inventories()));
    boolean usedUp = rest.stream().noneMatch(present::contains);
    if (returned.isEmpty() && !usedUp) {
      return;
    }
    long index = confirm.get().modifyIndex();
    // A confirmation written meanwhile (reviewctl) is looked at again next time.
    if (!(usedUp
        ? kv.deleteIfUnchanged(keys.guardConfirm(), index)
        : kv.compareAndSet(keys.guardConfirm(), withApps(confirm.get(), rest), index))) {
      return;
    }
    if (!returned.isEmpty()) {
      LOG.warn(
          "mass-deletion guard: {} have their specs again and no deletion of them is held; taken off"
              + " the confirmation, so that a later mass deletion holds them again",
          returned);
    }
    if (usedUp && !rest.isEmpty()) {
      LOG.info("mass-deletion guard: the confirmed apps {} are gone; confirmation removed", rest);
    }
  }

  /** The apps an operator confirmed; none when the key is absent or unreadable. */
  private Set<String> confirmed() {
    return kv.get(keys.guardConfirm()).map(DeletionGuard::parseConfirm).orElse(Set.of());
  }

  private static Set<String> parseConfirm(KvEntry entry) {
    try {
      JsonNode apps = JSON.readTree(entry.value()).path("apps");
      Set<String> names = new TreeSet<>();
      if (apps.isArray()) {
        apps.forEach(a -> names.add(a.asText()));
      }
      return names;
    } catch (IOException e) {
      LOG.warn("mass-deletion guard: {} is not JSON {\"apps\": [...]}; ignored", entry.key());
      return Set.of();
    }
  }

  /**
   * The confirmation with only {@code apps} listed; its other fields (when, by whom) kept. Only
   * called for a confirmation that listed apps, so its JSON is an object.
   */
  private static byte[] withApps(KvEntry entry, Set<String> apps) {
    try {
      ObjectNode node = (ObjectNode) JSON.readTree(entry.value());
      apps.forEach(node.putArray("apps")::add);
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot rewrite " + entry.key(), e);
    }
  }

  private Set<String> names(String prefix) {
    return AppKeys.under(kv, prefix);
  }

  private static Set<String> minus(Set<String> all, Set<String> removed) {
    Set<String> rest = new TreeSet<>(all);
    rest.removeAll(removed);
    return rest;
  }

  /**
   * Records that {@code holder} asks to delete {@code asked} while over the limits; the confirmed
   * ones may go, the rest are held. Kept while every one is confirmed, so that the confirmation
   * stays in use until the holder acts on it.
   */
  private synchronized void hold(
      String holder, String reason, Set<String> asked, Set<String> confirmed) {
    Set<String> held = minus(asked, confirmed);
    Hold before = holds.put(holder, new Hold(reason, Set.copyOf(asked), Set.copyOf(held)));
    if (!held.isEmpty()
        && (before == null || !before.held().equals(held) || !before.reason().equals(reason))) {
      LOG.warn(
          "mass-deletion guard: holding {} app(s), nothing of them is deleted: {}. Apps: {}. If"
              + " this is intended, confirm with `reviewctl guard confirm` or `consul kv put {}"
              + " '{\"apps\":[...]}'`; the hold clears by itself when the deletions fall back"
              + " under the limits.",
          held.size(),
          reason,
          held,
          keys.guardConfirm());
    }
    publish();
  }

  /** The deletions of {@code holder} are within the limits again. */
  private synchronized void release(String holder) {
    if (holds.remove(holder) != null) {
      LOG.info("mass-deletion guard: the {} hold cleared", holder);
      tidyConfirmation();
    }
    publish();
  }

  /**
   * Writes the union of the holds to the held key (or deletes it) and sets the gauge, when it
   * differs from what was last written: a write that failed (Consul away) is tried again next time.
   */
  private void publish() {
    Set<String> apps = new TreeSet<>();
    holds.values().forEach(h -> apps.addAll(h.held()));
    heldApps.set(apps.size());
    String reason =
        String.join(
            "; ",
            holds.values().stream().filter(h -> !h.held().isEmpty()).map(Hold::reason).toList());
    if (apps.isEmpty()
        ? published.isEmpty()
        : published.filter(p -> p.apps().equals(apps) && p.reason().equals(reason)).isPresent()) {
      return;
    }
    if (apps.isEmpty()) {
      kv.delete(keys.guardHeld());
      published = Optional.empty();
      return;
    }
    Instant since = published.map(Published::since).orElseGet(clock::instant);
    ObjectNode node = JSON.createObjectNode();
    node.put("reason", reason);
    apps.forEach(node.putArray("apps")::add);
    node.put("since", since.toString());
    try {
      kv.put(keys.guardHeld(), JSON.writeValueAsBytes(node));
    } catch (IOException e) {
      throw new IllegalStateException("cannot write the guard's held record", e);
    }
    published = Optional.of(new Published(reason, apps, since));
  }
}
