package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.consul.KvEntry;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * Reads and writes {@code <prefix>/status/<name>} with check-and-set: a conflict re-reads and
 * applies the change again. A write that would not change the stored bytes is skipped, so a resync
 * of a converged app writes nothing.
 */
final class StatusStore {

  private static final int ATTEMPTS = 5;

  private final KeyValueStore kv;
  private final KeyLayout layout;

  StatusStore(KeyValueStore kv, KeyLayout layout) {
    this.kv = kv;
    this.layout = layout;
  }

  /** The stored status, if there is one the model can read. */
  Optional<ReviewAppStatus> read(String app) {
    return kv.get(layout.status(app)).flatMap(StatusStore::parse);
  }

  /** Applies {@code change} to the stored status (or to a Pending one) and writes it. */
  ReviewAppStatus update(String app, long observedIndex, UnaryOperator<ReviewAppStatus> change) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KvEntry> entry = kv.get(layout.status(app));
      ReviewAppStatus current =
          entry.flatMap(StatusStore::parse).orElseGet(() -> ReviewAppStatus.pending(observedIndex));
      ReviewAppStatus next = change.apply(current);
      byte[] bytes = ReviewAppJson.writeStatus(next);
      if (entry.isPresent() && Arrays.equals(entry.get().value(), bytes)) {
        return next;
      }
      if (kv.compareAndSet(layout.status(app), bytes, entry.map(KvEntry::modifyIndex).orElse(0L))) {
        return next;
      }
    }
    throw new IllegalStateException("status of " + app + " kept changing while being written");
  }

  private static Optional<ReviewAppStatus> parse(KvEntry entry) {
    return ReviewAppJson.parseStatus(entry.value()) instanceof ParseResult.Parsed<ReviewAppStatus> p
        ? Optional.of(p.value())
        : Optional.empty();
  }
}
