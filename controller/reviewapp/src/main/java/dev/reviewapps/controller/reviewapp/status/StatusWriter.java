package dev.reviewapps.controller.reviewapp.status;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes {@code <prefix>/status/<name>} with check-and-set. An update reads the entry and
 * its ModifyIndex, applies the change, keeps condition transition times and writes with {@code
 * ?cas=<ModifyIndex>} ({@code cas=0} for a status that does not exist yet); a lost race reads again
 * and reapplies the change, so the change function must be a pure function of the status it is
 * given. An unchanged status is not written at all, so that a resync of a thousand converged apps
 * costs no writes and wakes no watchers.
 *
 * <p>Alongside, it keeps {@code <prefix>phases/<name>} holding just the phase (for the router,
 * whose token may read phases but not status): written when the phase differs from what this
 * process last published, so a restart publishes each phase once and a steady app costs nothing.
 */
public final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final int ATTEMPTS = 8;

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final ReviewAppKeys keys;
  private final Map<String, Phase> published = new ConcurrentHashMap<>();

  public StatusWriter(KeyValueStore kv, KeyLayout layout) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.keys = new ReviewAppKeys(layout);
  }

  /** The status of {@code name}, if there is a readable one. */
  public Optional<ReviewAppStatus> read(String name) {
    return kv.get(layout.status(name)).flatMap(e -> parse(name, e));
  }

  /**
   * Applies {@code change} to the current status ({@link ReviewAppStatus#pending} with index 0 if
   * there is none) and writes the result with check-and-set, retrying on conflicts.
   *
   * @return the status as stored afterwards
   * @throws StatusConflict when every attempt lost a race
   */
  public ReviewAppStatus update(String name, UnaryOperator<ReviewAppStatus> change) {
    String key = layout.status(name);
    for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
      Optional<KvEntry> entry = kv.get(key);
      Optional<ReviewAppStatus> current = entry.flatMap(e -> parse(name, e));
      ReviewAppStatus next =
          TransitionTimes.carryOver(
              current, change.apply(current.orElseGet(() -> ReviewAppStatus.pending(0))));
      next = bounded(next);
      byte[] json = ReviewAppJson.writeStatus(next);
      if (entry.isPresent() && Arrays.equals(entry.get().value(), json)) {
        publishPhase(name, next.phase());
        return next;
      }
      long cas = entry.map(KvEntry::modifyIndex).orElse(0L);
      if (kv.compareAndSet(key, json, cas)) {
        publishPhase(name, next.phase());
        return next;
      }
      log.debug("status of {} changed under us (attempt {}); reading again", name, attempt);
    }
    throw new StatusConflict(
        "status of " + name + " kept changing; gave up after " + ATTEMPTS + " attempts");
  }

  /** The largest status document written; above it every message is cut. */
  static final int MAX_STATUS_BYTES = 32 * 1024;

  /** How much of each message survives the cut. */
  static final int MAX_MESSAGE_CHARS = 1000;

  /**
   * The status, with every message, reason and error cut to {@value #MAX_MESSAGE_CHARS} characters
   * when the document would be larger than {@value #MAX_STATUS_BYTES} bytes: whatever a step or a
   * spec puts into a message, status stays small for Consul, reviewctl and the router.
   */
  static ReviewAppStatus bounded(ReviewAppStatus status) {
    if (ReviewAppJson.writeStatus(status).length <= MAX_STATUS_BYTES) {
      return status;
    }
    ReviewAppStatus cut =
        status
            .withLastError(status.lastError().map(StatusWriter::cut))
            .withMessage(status.message().map(StatusWriter::cut));
    for (Condition c : status.conditions()) {
      cut =
          cut.withCondition(
              c.type(), c.status(), cut(c.reason()), cut(c.message()), c.lastTransitionTime());
    }
    return cut;
  }

  private static String cut(String text) {
    return text.length() <= MAX_MESSAGE_CHARS
        ? text
        : text.substring(0, MAX_MESSAGE_CHARS - 1) + "…";
  }

  private void publishPhase(String name, Phase phase) {
    if (published.get(name) != phase) {
      kv.put(keys.phase(name), phase.name().getBytes(StandardCharsets.UTF_8));
      published.put(name, phase);
    }
  }

  /** Forgets what was published for {@code name}, so that its next phase is written again. */
  public void forget(String name) {
    published.remove(name);
  }

  /**
   * Deletes the status and the phase key of {@code name} (its app is gone), and with them what the
   * router and reviewctl wrote about it: its last activity and any wake or sleep request.
   */
  public void delete(String name) {
    kv.delete(layout.status(name));
    kv.delete(keys.phase(name));
    kv.delete(keys.activity(name));
    kv.delete(keys.wake(name));
    kv.delete(keys.sleep(name));
    published.remove(name);
  }

  private Optional<ReviewAppStatus> parse(String name, KvEntry entry) {
    ParseResult<ReviewAppStatus> parsed = ReviewAppJson.parseStatus(entry.value());
    if (parsed instanceof ParseResult.Invalid<ReviewAppStatus> invalid) {
      // Only the controller writes status; a broken one is replaced rather than kept forever.
      log.warn("status of {} is unreadable and will be rewritten: {}", name, invalid.violations());
    }
    return parsed.toOptional();
  }
}
