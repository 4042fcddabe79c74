package dev.reviewapps.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import dev.reviewapps.model.Metadata;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Processes;
import dev.reviewapps.model.spec.Redis;
import dev.reviewapps.model.spec.Release;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.SleepAfter;
import dev.reviewapps.model.spec.Ttl;
import dev.reviewapps.model.validation.JsonPath;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.util.List;
import java.util.Optional;

/**
 * Turns a JSON tree into a {@link ReviewApp}, recording structural violations (unknown, missing,
 * mistyped fields) as it goes. The app it returns is built from placeholders where fields were bad,
 * so it is only meaningful when no violation was recorded.
 */
final class SpecReader {
  private SpecReader() {}

  static ReviewApp read(JsonNode root, List<Violation> out) {
    ObjectFields doc = ObjectFields.of(root, JsonPath.ROOT, out);
    doc.oneOf("apiVersion", List.of(ReviewApp.API_VERSION));
    doc.oneOf("kind", List.of(ReviewApp.KIND));
    Metadata metadata = metadata(doc.requiredObject("metadata"));
    ReviewAppSpec spec = spec(doc.requiredObject("spec"));
    doc.rejectUnknown();
    return new ReviewApp(metadata, spec);
  }

  private static Metadata metadata(ObjectFields fields) {
    Metadata metadata = new Metadata(fields.requiredString("name"), fields.stringMap("labels"));
    fields.rejectUnknown();
    return metadata;
  }

  private static ReviewAppSpec spec(ObjectFields fields) {
    String branch = fields.requiredString("branch");
    String commit = fields.requiredString("commit");
    String image = fields.requiredString("image");
    Database database = database(fields.requiredObject("database"));
    Optional<Redis> redis = fields.optionalObject("redis").map(SpecReader::redis);
    Release release =
        fields.optionalObject("release").map(SpecReader::release).orElse(Release.NONE);
    Processes processes = processes(fields.requiredObject("processes"));
    var env = fields.stringMap("env");
    Optional<Ttl> ttl =
        duration(
            fields,
            "ttl",
            Ttl::parse,
            Rule.TTL,
            "a whole number and a unit, m, h or d, such as 30m, 72h or 7d");
    Optional<SleepAfter> sleepAfter =
        duration(
            fields,
            "sleepAfter",
            SleepAfter::parse,
            Rule.SLEEP_AFTER,
            "0 (never) or a whole number and a unit, m, h or d, such as 30m or 2h");
    fields.rejectUnknown();
    return new ReviewAppSpec(
        branch, commit, image, database, redis, release, processes, env, ttl, sleepAfter);
  }

  /** The optional text field {@code name} read with {@code parse}; a refused text is reported. */
  private static <T> Optional<T> duration(
      ObjectFields fields,
      String name,
      java.util.function.Function<String, Optional<T>> parse,
      Rule rule,
      String syntax) {
    return fields
        .optionalString(name)
        .flatMap(
            text -> {
              Optional<T> value = parse.apply(text);
              if (value.isEmpty()) {
                fields.report(name, rule, "must be " + syntax + " (got \"" + text + "\")");
              }
              return value;
            });
  }

  private static Database database(ObjectFields fields) {
    Optional<String> mode =
        fields.oneOf(
            "mode", List.of(Database.Shared.MODE, Database.Instance.MODE, Database.Snapshot.MODE));
    if (mode.isEmpty()) {
      // Which other fields are allowed depends on the mode; with no valid mode, judge none.
      fields.ignoreRest();
      return new Database.Shared(Optional.empty());
    }
    Database database =
        switch (mode.get()) {
          case Database.Instance.MODE ->
              new Database.Instance(
                  fields.requiredString("instanceClass"),
                  fields.optionalInt(
                      "allocatedStorage", Database.Instance.DEFAULT_ALLOCATED_STORAGE_GB),
                  fields.optionalString("engineVersion"));
          case Database.Snapshot.MODE ->
              new Database.Snapshot(
                  fields.requiredString("snapshotIdentifier"),
                  fields.optionalString("instanceClass"));
          default -> new Database.Shared(fields.optionalString("template"));
        };
    fields.rejectUnknown();
    return database;
  }

  private static Redis redis(ObjectFields fields) {
    Redis redis = new Redis(fields.requiredString("image"));
    fields.rejectUnknown();
    return redis;
  }

  private static Release release(ObjectFields fields) {
    Release release =
        new Release(
            fields.optionalString("migrate"),
            fields.optionalString("seed"),
            fields.optionalString("predestroy"));
    fields.rejectUnknown();
    return release;
  }

  private static Processes processes(ObjectFields fields) {
    ProcessSpec web = process(fields.requiredObject("web"), true);
    Optional<ProcessSpec> worker = fields.optionalObject("worker").map(w -> process(w, false));
    fields.rejectUnknown();
    return new Processes(web, worker);
  }

  private static ProcessSpec process(ObjectFields fields, boolean web) {
    ProcessSpec process =
        new ProcessSpec(
            fields.requiredString("command"),
            fields.optionalInt("count", ProcessSpec.DEFAULT_COUNT),
            fields.optionalInt("cpu", ProcessSpec.DEFAULT_CPU_MHZ),
            fields.optionalInt("memoryMB", ProcessSpec.DEFAULT_MEMORY_MB),
            // Only the web process is health-checked; on a worker the field is unknown.
            web ? fields.optionalString("healthPath") : Optional.empty());
    fields.rejectUnknown();
    return process;
  }
}
