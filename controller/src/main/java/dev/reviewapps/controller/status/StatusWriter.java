package dev.reviewapps.controller.status;

import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.consul.KvEntry;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;
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
 */
public final class StatusWriter {
  private static final Logger log = LoggerFactory.getLogger(StatusWriter.class);
  private static final int ATTEMPTS = 8;

  private final KeyValueStore kv;
  private final KeyLayout layout;

  public StatusWriter(KeyValueStore kv, KeyLayout layout) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.layout = Objects.requireNonNull(layout, "layout");
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
      byte[] json = ReviewAppJson.writeStatus(next);
      if (entry.isPresent() && Arrays.equals(entry.get().value(), json)) {
        return next;
      }
      long cas = entry.map(KvEntry::modifyIndex).orElse(0L);
      if (kv.compareAndSet(key, json, cas)) {
        return next;
      }
      log.debug("status of {} changed under us (attempt {}); reading again", name, attempt);
    }
    throw new StatusConflict(
        "status of " + name + " kept changing; gave up after " + ATTEMPTS + " attempts");
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
