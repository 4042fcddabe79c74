package dev.reviewapps.model.json;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Release;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Map;
import java.util.Optional;

/**
 * Writes a {@link ReviewApp} as a JSON tree in one fixed field order, leaving out what is absent or
 * empty, so that the same app always gives the same bytes and reading them gives the same app.
 */
final class SpecWriter {
  private SpecWriter() {}

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  static ObjectNode write(ReviewApp app) {
    ObjectNode doc = JSON.objectNode();
    doc.put("apiVersion", app.apiVersion());
    doc.put("kind", app.kind());
    ObjectNode metadata = doc.putObject("metadata");
    metadata.put("name", app.metadata().name());
    putMap(metadata, "labels", app.metadata().labels());
    doc.set("spec", spec(app.spec()));
    return doc;
  }

  private static ObjectNode spec(ReviewAppSpec spec) {
    ObjectNode node = JSON.objectNode();
    node.put("branch", spec.branch());
    node.put("commit", spec.commit());
    node.put("image", spec.image());
    node.set("database", database(spec.database()));
    spec.redis().ifPresent(redis -> node.putObject("redis").put("image", redis.image()));
    Release release = spec.release();
    if (!release.isEmpty()) {
      ObjectNode commands = node.putObject("release");
      putOptional(commands, "migrate", release.migrate());
      putOptional(commands, "seed", release.seed());
      putOptional(commands, "predestroy", release.predestroy());
    }
    ObjectNode processes = node.putObject("processes");
    processes.set("web", process(spec.processes().web()));
    spec.processes().worker().ifPresent(worker -> processes.set("worker", process(worker)));
    putMap(node, "env", spec.env());
    putOptional(node, "ttl", spec.ttl().map(Object::toString));
    putOptional(node, "sleepAfter", spec.sleepAfter().map(Object::toString));
    return node;
  }

  private static ObjectNode database(Database database) {
    ObjectNode node = JSON.objectNode();
    node.put("mode", database.mode());
    if (database instanceof Database.Shared shared) {
      putOptional(node, "template", shared.template());
    } else if (database instanceof Database.Instance instance) {
      node.put("instanceClass", instance.instanceClass());
      node.put("allocatedStorage", instance.allocatedStorageGb());
      putOptional(node, "engineVersion", instance.engineVersion());
    } else if (database instanceof Database.Snapshot snapshot) {
      node.put("snapshotIdentifier", snapshot.snapshotIdentifier());
      putOptional(node, "instanceClass", snapshot.instanceClass());
    }
    return node;
  }

  private static ObjectNode process(ProcessSpec process) {
    ObjectNode node = JSON.objectNode();
    node.put("command", process.command());
    node.put("count", process.count());
    node.put("cpu", process.cpuMhz());
    node.put("memoryMB", process.memoryMb());
    putOptional(node, "healthPath", process.healthPath());
    return node;
  }

  static void putOptional(ObjectNode node, String field, Optional<String> value) {
    value.ifPresent(v -> node.put(field, v));
  }

  private static void putMap(ObjectNode node, String field, Map<String, String> map) {
    if (!map.isEmpty()) {
      ObjectNode object = node.putObject(field);
      map.forEach(object::put);
    }
  }
}
