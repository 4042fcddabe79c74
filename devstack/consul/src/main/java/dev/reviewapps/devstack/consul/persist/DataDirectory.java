package dev.reviewapps.devstack.consul.persist;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.consul.state.Behavior;
import dev.reviewapps.devstack.consul.state.Commit;
import dev.reviewapps.devstack.consul.state.CommitLog;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.consul.state.KvEntry;
import dev.reviewapps.devstack.consul.state.Session;
import dev.reviewapps.devstack.consul.state.SessionTtl;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a {@link ConsulState} in a directory: {@code snapshot.json} holds the state at the last
 * start or compaction, {@code journal.jsonl} one line per commit since. A commit is written and
 * flushed to the operating system before the request that made it is answered, so a killed process
 * loses nothing it acknowledged (a crashed machine may: there is no fsync per write).
 */
public final class DataDirectory implements CommitLog, AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(DataDirectory.class);
  private static final ObjectMapper JSON = new ObjectMapper();
  // Rewrite the snapshot after this many journaled commits, so replay stays quick.
  private static final int COMPACT_AFTER = 10_000;

  private final Path snapshotFile;
  private final Path journalFile;
  private final ConsulState state;
  private BufferedWriter journal;
  private int journaled;

  private DataDirectory(Path dir, ConsulState state) {
    this.snapshotFile = dir.resolve("snapshot.json");
    this.journalFile = dir.resolve("journal.jsonl");
    this.state = state;
  }

  /**
   * Restores {@code state} from {@code dir} (created if missing), writes a fresh snapshot and
   * journals every later commit there.
   */
  public static DataDirectory open(Path dir, ConsulState state) throws IOException {
    Files.createDirectories(dir);
    DataDirectory data = new DataDirectory(dir, state);
    int replayed = data.replay();
    data.compact();
    state.attachLog(data);
    log.info("consul data directory {}: restored {} journaled commits", dir, replayed);
    return data;
  }

  private int replay() throws IOException {
    if (Files.exists(snapshotFile)) {
      state.restore(decode(JSON.readTree(snapshotFile.toFile())));
    }
    int count = 0;
    if (Files.exists(journalFile)) {
      for (String line : Files.readAllLines(journalFile, StandardCharsets.UTF_8)) {
        if (line.isBlank()) {
          continue;
        }
        try {
          state.restore(decode(JSON.readTree(line)));
          count++;
        } catch (IOException e) {
          // Only the last line can be torn, by a kill in the middle of a write; it was never
          // acknowledged.
          log.warn("ignoring a torn journal line: {}", e.getMessage());
        }
      }
    }
    return count;
  }

  private void compact() throws IOException {
    if (journal != null) {
      journal.close();
    }
    Path temporary = snapshotFile.resolveSibling("snapshot.json.tmp");
    Files.write(temporary, JSON.writeValueAsBytes(encode(state.snapshot())));
    Files.move(
        temporary,
        snapshotFile,
        StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
    journal =
        Files.newBufferedWriter(
            journalFile,
            StandardCharsets.UTF_8,
            StandardOpenOption.CREATE,
            StandardOpenOption.TRUNCATE_EXISTING,
            StandardOpenOption.WRITE);
    journaled = 0;
  }

  @Override
  public void append(Commit commit) throws IOException {
    journal.write(JSON.writeValueAsString(encode(commit)));
    journal.newLine();
    journal.flush();
    if (++journaled >= COMPACT_AFTER) {
      compact();
    }
  }

  @Override
  public void close() throws IOException {
    if (journal != null) {
      journal.close();
    }
  }

  static ObjectNode encode(Commit commit) {
    ObjectNode node = JSON.createObjectNode();
    node.put("index", commit.index());
    node.put("kvsIndex", commit.kvsIndex());
    node.put("sessionsIndex", commit.sessionsIndex());
    ArrayNode written = node.putArray("written");
    for (KvEntry e : commit.written()) {
      ObjectNode entry = written.addObject();
      entry.put("key", e.key());
      entry.put("value", Base64.getEncoder().encodeToString(e.value()));
      entry.put("flags", e.flags());
      e.session().ifPresent(s -> entry.put("session", s));
      entry.put("lockIndex", e.lockIndex());
      entry.put("createIndex", e.createIndex());
      entry.put("modifyIndex", e.modifyIndex());
    }
    ObjectNode deleted = node.putObject("deleted");
    commit.deleted().forEach(deleted::put);
    ArrayNode sessions = node.putArray("sessionsWritten");
    for (Session s : commit.sessionsWritten()) {
      ObjectNode session = sessions.addObject();
      session.put("id", s.id());
      session.put("name", s.name());
      session.put("node", s.node());
      session.put("lockDelayNanos", s.lockDelay().toNanos());
      session.put("behavior", s.behavior().wire());
      s.ttl().ifPresent(t -> session.put("ttl", t.text()).put("ttlNanos", t.duration().toNanos()));
      ArrayNode checks = session.putArray("nodeChecks");
      s.nodeChecks().forEach(checks::add);
      session.put("createIndex", s.createIndex());
      session.put("modifyIndex", s.modifyIndex());
    }
    ArrayNode removed = node.putArray("sessionsRemoved");
    commit.sessionsRemoved().forEach(removed::add);
    return node;
  }

  static Commit decode(JsonNode node) {
    List<KvEntry> written = new ArrayList<>();
    for (JsonNode e : node.path("written")) {
      written.add(
          new KvEntry(
              e.path("key").asText(),
              Base64.getDecoder().decode(e.path("value").asText("")),
              e.path("flags").asLong(),
              Optional.ofNullable(e.get("session")).map(JsonNode::asText),
              e.path("lockIndex").asLong(),
              e.path("createIndex").asLong(),
              e.path("modifyIndex").asLong()));
    }
    Map<String, Long> deleted = new LinkedHashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.path("deleted").fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> d = it.next();
      deleted.put(d.getKey(), d.getValue().asLong());
    }
    List<Session> sessions = new ArrayList<>();
    for (JsonNode s : node.path("sessionsWritten")) {
      List<String> checks = new ArrayList<>();
      s.path("nodeChecks").forEach(c -> checks.add(c.asText()));
      sessions.add(
          new Session(
              s.path("id").asText(),
              s.path("name").asText(),
              s.path("node").asText(),
              Duration.ofNanos(s.path("lockDelayNanos").asLong()),
              Behavior.fromWire(s.path("behavior").asText()).orElse(Behavior.RELEASE),
              s.has("ttl")
                  ? Optional.of(
                      new SessionTtl(
                          s.get("ttl").asText(), Duration.ofNanos(s.path("ttlNanos").asLong())))
                  : Optional.empty(),
              checks,
              s.path("createIndex").asLong(),
              s.path("modifyIndex").asLong()));
    }
    List<String> removed = new ArrayList<>();
    node.path("sessionsRemoved").forEach(r -> removed.add(r.asText()));
    return new Commit(
        node.path("index").asLong(),
        node.path("kvsIndex").asLong(),
        node.path("sessionsIndex").asLong(),
        written,
        deleted,
        sessions,
        removed);
  }
}
