package dev.reviewapps.model.validation;

import dev.reviewapps.model.Metadata;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Release;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.SleepAfter;
import dev.reviewapps.model.spec.Ttl;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks a {@link ReviewApp} against every rule of {@code reviewapps/v1} and returns all
 * violations, not just the first, in document order. The one rule it cannot check is the size of
 * the JSON document: {@link dev.reviewapps.model.json.ReviewAppJson#validate} adds that.
 */
public final class ReviewAppValidator {
  private ReviewAppValidator() {}

  /** Every violation of {@code app}; empty when the app is valid. */
  public static List<Violation> validate(ReviewApp app) {
    List<Violation> out = new ArrayList<>();
    metadata(app.metadata(), JsonPath.field(JsonPath.ROOT, "metadata"), out);
    spec(app.spec(), JsonPath.field(JsonPath.ROOT, "spec"), out);
    return List.copyOf(out);
  }

  private static void metadata(Metadata metadata, String path, List<Violation> out) {
    String name = metadata.name();
    check(
        AppName.parse(name).isPresent(),
        JsonPath.field(path, "name"),
        Rule.DNS_LABEL,
        "must be an app name: 1 to "
            + AppName.MAX_LENGTH
            + " of a-z, 0-9 and '-', starting and ending with a letter or digit, never '--', so"
            + " that every database, role, RDS instance and job named after it is its own (got \""
            + shorten(name)
            + "\")",
        out);
    String labels = JsonPath.field(path, "labels");
    check(
        metadata.labels().size() <= Bounds.MAX_LABELS,
        labels,
        Rule.RANGE,
        "at most " + Bounds.MAX_LABELS + " labels",
        out);
    metadata
        .labels()
        .forEach(
            (key, value) -> {
              String at = JsonPath.field(labels, key);
              check(
                  Syntax.LABEL.matcher(key).matches(),
                  at,
                  Rule.LABEL,
                  "label key must be 1 to 63 of A-Z, a-z, 0-9, '.', '_', '-', starting and ending"
                      + " with a letter or digit",
                  out);
              check(
                  value.isEmpty() || Syntax.LABEL.matcher(value).matches(),
                  at,
                  Rule.LABEL,
                  "label value must be empty or 1 to 63 of A-Z, a-z, 0-9, '.', '_', '-', starting"
                      + " and ending with a letter or digit",
                  out);
            });
  }

  private static void spec(ReviewAppSpec spec, String path, List<Violation> out) {
    check(
        Syntax.isGitBranch(spec.branch()),
        JsonPath.field(path, "branch"),
        Rule.GIT_REF,
        "must be a git branch name (no spaces, control characters, '~^:?*[\\', '..', '@{', '//',"
            + " no component starting with '.' or ending with '.lock', at most "
            + Bounds.MAX_BRANCH_LENGTH
            + " characters)",
        out);
    check(
        Syntax.COMMIT.matcher(spec.commit()).matches(),
        JsonPath.field(path, "commit"),
        Rule.COMMIT,
        "must be a commit id: 7 to 64 lower-case hexadecimal digits",
        out);
    image(spec.image(), JsonPath.field(path, "image"), out);
    database(spec.database(), JsonPath.field(path, "database"), out);
    spec.redis()
        .ifPresent(
            redis ->
                image(redis.image(), JsonPath.field(JsonPath.field(path, "redis"), "image"), out));
    release(spec.release(), JsonPath.field(path, "release"), out);
    String processes = JsonPath.field(path, "processes");
    process(spec.processes().web(), JsonPath.field(processes, "web"), true, out);
    spec.processes()
        .worker()
        .ifPresent(worker -> process(worker, JsonPath.field(processes, "worker"), false, out));
    env(spec.env(), JsonPath.field(path, "env"), out);
    spec.ttl().ifPresent(ttl -> ttl(ttl, JsonPath.field(path, "ttl"), out));
    spec.sleepAfter()
        .flatMap(SleepAfter::duration)
        .ifPresent(
            idle ->
                check(
                    idle.compareTo(Bounds.MIN_SLEEP_AFTER) >= 0
                        && idle.compareTo(Bounds.MAX_SLEEP_AFTER) <= 0,
                    JsonPath.field(path, "sleepAfter"),
                    Rule.SLEEP_AFTER,
                    "must be 0 (never) or between 5m and 30d (got " + spec.sleepAfter().get() + ")",
                    out));
  }

  private static void image(String image, String path, List<Violation> out) {
    check(
        Syntax.isImageReference(image),
        path,
        Rule.IMAGE_REFERENCE,
        "must be an image reference such as registry.example.com/shop/web:tag or redis:7"
            + " (lower-case repository path, optional tag and @sha256 digest)",
        out);
  }

  private static void database(Database database, String path, List<Violation> out) {
    if (database instanceof Database.Shared shared) {
      shared
          .template()
          .ifPresent(
              template ->
                  check(
                      Syntax.PG_IDENTIFIER.matcher(template).matches(),
                      JsonPath.field(path, "template"),
                      Rule.DATABASE,
                      "must be a PostgreSQL database name: 1 to 63 of a-z, 0-9 and '_', not"
                          + " starting with a digit",
                      out));
    } else if (database instanceof Database.Instance instance) {
      instanceClass(instance.instanceClass(), JsonPath.field(path, "instanceClass"), out);
      check(
          instance.allocatedStorageGb() >= Bounds.MIN_ALLOCATED_STORAGE_GB
              && instance.allocatedStorageGb() <= Bounds.MAX_ALLOCATED_STORAGE_GB,
          JsonPath.field(path, "allocatedStorage"),
          Rule.RANGE,
          between(Bounds.MIN_ALLOCATED_STORAGE_GB, Bounds.MAX_ALLOCATED_STORAGE_GB, "GiB"),
          out);
      instance
          .engineVersion()
          .ifPresent(
              version ->
                  check(
                      Syntax.ENGINE_VERSION.matcher(version).matches(),
                      JsonPath.field(path, "engineVersion"),
                      Rule.DATABASE,
                      "must be a PostgreSQL engine version such as 16 or 16.4",
                      out));
    } else if (database instanceof Database.Snapshot snapshot) {
      String id = snapshot.snapshotIdentifier();
      check(
          id.length() <= 2048 && Syntax.SNAPSHOT_IDENTIFIER.matcher(id).matches(),
          JsonPath.field(path, "snapshotIdentifier"),
          Rule.DATABASE,
          "must be an RDS snapshot identifier (a letter, then letters, digits and single '-') or"
              + " a snapshot ARN",
          out);
      snapshot
          .instanceClass()
          .ifPresent(c -> instanceClass(c, JsonPath.field(path, "instanceClass"), out));
    }
  }

  private static void instanceClass(String instanceClass, String path, List<Violation> out) {
    check(
        Syntax.INSTANCE_CLASS.matcher(instanceClass).matches(),
        path,
        Rule.DATABASE,
        "must be an RDS instance class such as db.t3.micro",
        out);
  }

  private static void release(Release release, String path, List<Violation> out) {
    release.migrate().ifPresent(c -> command(c, JsonPath.field(path, "migrate"), out));
    release.seed().ifPresent(c -> command(c, JsonPath.field(path, "seed"), out));
    release.predestroy().ifPresent(c -> command(c, JsonPath.field(path, "predestroy"), out));
  }

  private static void process(ProcessSpec process, String path, boolean web, List<Violation> out) {
    command(process.command(), JsonPath.field(path, "command"), out);
    range(process.count(), Bounds.MIN_COUNT, Bounds.MAX_COUNT, "", path, "count", out);
    range(process.cpuMhz(), Bounds.MIN_CPU_MHZ, Bounds.MAX_CPU_MHZ, "MHz", path, "cpu", out);
    range(
        process.memoryMb(),
        Bounds.MIN_MEMORY_MB,
        Bounds.MAX_MEMORY_MB,
        "MB",
        path,
        "memoryMB",
        out);
    Optional<String> health = process.healthPath();
    String healthPath = JsonPath.field(path, "healthPath");
    if (!web) {
      check(
          health.isEmpty(),
          healthPath,
          Rule.UNKNOWN_FIELD,
          "unknown field: only the web process has a health check",
          out);
    }
    health.ifPresent(
        h ->
            check(
                h.length() <= Bounds.MAX_HEALTH_PATH_LENGTH
                    && Syntax.HEALTH_PATH.matcher(h).matches(),
                healthPath,
                Rule.HEALTH_PATH,
                "must be an absolute HTTP path such as /health (printable ASCII, no spaces, at"
                    + " most "
                    + Bounds.MAX_HEALTH_PATH_LENGTH
                    + " characters)",
                out));
  }

  private static void command(String command, String path, List<Violation> out) {
    check(
        Syntax.isCommand(command),
        path,
        Rule.COMMAND,
        "must be a non-blank command of at most "
            + Bounds.MAX_COMMAND_LENGTH
            + " characters without NUL",
        out);
  }

  private static void env(Map<String, String> env, String path, List<Violation> out) {
    check(
        env.size() <= Bounds.MAX_ENV_VARS,
        path,
        Rule.RANGE,
        "at most " + Bounds.MAX_ENV_VARS + " variables",
        out);
    env.forEach(
        (name, value) -> {
          String at = JsonPath.field(path, name);
          if (!Syntax.POSIX_NAME.matcher(name).matches()
              || name.length() > Bounds.MAX_ENV_NAME_LENGTH) {
            out.add(
                new Violation(
                    at,
                    Rule.ENV_NAME,
                    "must be a POSIX name: a letter or '_', then letters, digits or '_', at most "
                        + Bounds.MAX_ENV_NAME_LENGTH
                        + " characters"));
          } else if (isReserved(name)) {
            out.add(
                new Violation(
                    at,
                    Rule.RESERVED_ENV,
                    "is set by the controller and may not be set in the spec (reserved: "
                        + String.join(", ", new TreeSet<>(Bounds.RESERVED_ENV_NAMES))
                        + ", NOMAD_*, REVIEW_APP_*)"));
          }
          check(
              value.indexOf('\0') < 0 && value.length() <= Bounds.MAX_ENV_VALUE_LENGTH,
              at,
              Rule.ENV_VALUE,
              "value must not contain NUL and be at most "
                  + Bounds.MAX_ENV_VALUE_LENGTH
                  + " characters",
              out);
        });
  }

  /** True when the controller sets {@code name} itself. */
  public static boolean isReserved(String name) {
    return Bounds.RESERVED_ENV_NAMES.contains(name)
        || Bounds.RESERVED_ENV_PREFIXES.stream().anyMatch(name::startsWith);
  }

  private static void ttl(Ttl ttl, String path, List<Violation> out) {
    check(
        ttl.duration().compareTo(Bounds.MIN_TTL) >= 0
            && ttl.duration().compareTo(Bounds.MAX_TTL) <= 0,
        path,
        Rule.TTL,
        "must be between 10m and 90d (got " + ttl + ")",
        out);
  }

  private static void range(
      int value, int min, int max, String unit, String parent, String field, List<Violation> out) {
    check(
        value >= min && value <= max,
        JsonPath.field(parent, field),
        Rule.RANGE,
        between(min, max, unit) + " (got " + value + ")",
        out);
  }

  private static String between(int min, int max, String unit) {
    return "must be between " + min + " and " + max + (unit.isEmpty() ? "" : " " + unit);
  }

  private static void check(
      boolean holds, String path, Rule rule, String message, List<Violation> out) {
    if (!holds) {
      out.add(new Violation(path, rule, message));
    }
  }

  private static final Pattern UNPRINTABLE = Pattern.compile("[^ -~]");

  /** A name quoted back in a message: printable and short, whatever the user sent. */
  private static String shorten(String s) {
    String printable = UNPRINTABLE.matcher(s).replaceAll("?");
    return printable.length() <= 80 ? printable : printable.substring(0, 77) + "...";
  }
}
