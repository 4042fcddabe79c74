package dev.reviewapps.controller.reviewapp.gc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import java.io.IOException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The {@link GcRecord}s at {@code <prefix>/gc/<name>}, JSON {@code {"specIndex": 12, "seenAt":
 * "...", "branchMissingSince": "..."}}, written with check-and-set: the reconciler (first sight of
 * a spec version) and the garbage-collection pass (branch listings) both update them.
 */
public final class GcRecords {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final int ATTEMPTS = 8;

  private final KeyValueStore kv;
  private final String prefix;

  public GcRecords(KeyValueStore kv, KeyLayout layout) {
    this.kv = kv;
    this.prefix = layout.prefix() + "gc/";
  }

  /** The key of an app's record. */
  public String key(String app) {
    return prefix + app;
  }

  /** The app's record; {@link GcRecord#EMPTY} when there is none (or it is unreadable). */
  public GcRecord read(String app) {
    return kv.get(key(app)).map(GcRecords::parse).orElse(GcRecord.EMPTY);
  }

  /**
   * Applies {@code change} and writes the result with check-and-set, reading again when another
   * writer came first.
   */
  public GcRecord update(String app, UnaryOperator<GcRecord> change) {
    for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
      Optional<KvEntry> entry = kv.get(key(app));
      GcRecord current = entry.map(GcRecords::parse).orElse(GcRecord.EMPTY);
      GcRecord next = change.apply(current);
      if (entry.isPresent() && next.equals(current)) {
        return current;
      }
      if (kv.compareAndSet(key(app), write(next), entry.map(KvEntry::modifyIndex).orElse(0L))) {
        return next;
      }
    }
    throw new IllegalStateException("gc record of " + app + " kept changing");
  }

  /** Every record: one recursive read, so that a pass over many apps reads each once. */
  public Map<String, GcRecord> all() {
    Map<String, GcRecord> all = new HashMap<>();
    for (KvEntry entry : kv.list(prefix, BlockingQuery.NONE).entries()) {
      String app = entry.key().substring(prefix.length());
      if (!app.isEmpty() && !app.contains("/")) {
        all.put(app, parse(entry));
      }
    }
    return all;
  }

  /** Forgets an app whose spec is gone. */
  public void delete(String app) {
    kv.delete(key(app));
  }

  static GcRecord parse(KvEntry entry) {
    try {
      JsonNode node = JSON.readTree(entry.value());
      return new GcRecord(
          node.path("specIndex").asLong(0),
          instant(node, "seenAt"),
          instant(node, "branchMissingSince"));
    } catch (IOException | DateTimeParseException e) {
      // Only the controller writes it; a broken record is replaced, which restarts its clocks.
      return GcRecord.EMPTY;
    }
  }

  private static Optional<Instant> instant(JsonNode node, String field) {
    return node.hasNonNull(field)
        ? Optional.of(Instant.parse(node.get(field).asText()))
        : Optional.empty();
  }

  static byte[] write(GcRecord record) {
    ObjectNode node = JSON.createObjectNode();
    node.put("specIndex", record.specIndex());
    record.seenAt().ifPresent(t -> node.put("seenAt", t.toString()));
    record.branchMissingSince().ifPresent(t -> node.put("branchMissingSince", t.toString()));
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write a gc record", e);
    }
  }
}
