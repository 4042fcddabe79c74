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
 * are all gone (no spec, no inventory). A hold clears by itself when the deletions fall back under
 * the limits (the specs reappear, the listing recovers): {@link #reevaluate()} notices it even when
 * no teardown asks again.
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

  private record Hold(String reason, Set<String> apps) {}

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
    Set<String> pending = pendingTeardowns();
    int total = names(layout.inventories()).size();
    if (!limits.exceeded(pending.size(), total)) {
      release(TEARDOWN);
      return Optional.empty();
    }
    Set<String> confirmed = confirmed();
    String reason =
        "teardown of " + limits.explain(pending.size(), total) + ": their specs are gone";
    hold(TEARDOWN, reason, minus(pending, confirmed));
    return confirmed.contains(app) ? Optional.empty() : Optional.of(reason);
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
        minus(candidates, confirmed));
    Set<String> admitted = new TreeSet<>(candidates);
    admitted.retainAll(confirmed);
    return admitted;
  }

  /**
   * Re-checks the teardown hold (it clears when specs reappear, although no teardown asks then) and
   * removes a confirmation whose apps are all gone. Run periodically by the leader.
   */
  public void reevaluate() {
    Set<String> pending = pendingTeardowns();
    if (!limits.exceeded(pending.size(), names(layout.inventories()).size())) {
      release(TEARDOWN);
    }
    Optional<KvEntry> confirm = kv.get(keys.guardConfirm());
    if (confirm.isPresent()) {
      Set<String> listed = parseConfirm(confirm.get());
      Set<String> present = names(layout.specs());
      present.addAll(names(layout.inventories()));
      if (listed.stream().noneMatch(present::contains)
          && kv.deleteIfUnchanged(keys.guardConfirm(), confirm.get().modifyIndex())) {
        LOG.info(
            "mass-deletion guard: the confirmed apps {} are gone; confirmation removed", listed);
      }
    }
    synchronized (this) {
      if (published.isEmpty() && kv.get(keys.guardHeld()).isPresent()) {
        // Left by an earlier leader whose hold has cleared since.
        kv.delete(keys.guardHeld());
      }
    }
  }

  /** Apps with an inventory and no spec. */
  private Set<String> pendingTeardowns() {
    Set<String> pending = names(layout.inventories());
    pending.removeAll(names(layout.specs()));
    return pending;
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

  private Set<String> names(String prefix) {
    return AppKeys.under(kv, prefix);
  }

  private static Set<String> minus(Set<String> all, Set<String> removed) {
    Set<String> rest = new TreeSet<>(all);
    rest.removeAll(removed);
    return rest;
  }

  private synchronized void hold(String holder, String reason, Set<String> apps) {
    if (apps.isEmpty()) {
      release(holder);
      return;
    }
    Hold next = new Hold(reason, Set.copyOf(apps));
    if (!next.equals(holds.put(holder, next))) {
      LOG.warn(
          "mass-deletion guard: holding {} app(s), nothing of them is deleted: {}. Apps: {}. If"
              + " this is intended, confirm with `reviewctl guard confirm` or `consul kv put {}"
              + " '{\"apps\":[...]}'`; the hold clears by itself when the deletions fall back"
              + " under the limits.",
          apps.size(),
          reason,
          new TreeSet<>(apps),
          keys.guardConfirm());
    }
    publish();
  }

  private synchronized void release(String holder) {
    if (holds.remove(holder) != null) {
      LOG.info("mass-deletion guard: the {} hold cleared", holder);
    }
    publish();
  }

  /**
   * Writes the union of the holds to the held key (or deletes it) and sets the gauge, when it
   * differs from what was last written: a write that failed (Consul away) is tried again next time.
   */
  private void publish() {
    Set<String> apps = new TreeSet<>();
    holds.values().forEach(h -> apps.addAll(h.apps()));
    heldApps.set(apps.size());
    String reason = String.join("; ", holds.values().stream().map(Hold::reason).toList());
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
