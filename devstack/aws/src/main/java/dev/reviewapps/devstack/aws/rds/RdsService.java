package dev.reviewapps.devstack.aws.rds;

import dev.reviewapps.devstack.aws.postgres.DatabaseBacking;
import dev.reviewapps.devstack.aws.protocol.AwsError;
import dev.reviewapps.devstack.aws.protocol.Page;
import dev.reviewapps.devstack.aws.protocol.QueryParams;
import dev.reviewapps.devstack.aws.protocol.QueryProtocol;
import dev.reviewapps.devstack.aws.protocol.QueryService;
import dev.reviewapps.devstack.aws.protocol.Xml;
import dev.reviewapps.devstack.http.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RDS over the Query protocol. Instances and snapshots live in memory; their transitions run on a
 * scheduler after the configured delays, and with a {@link DatabaseBacking} each instance is a real
 * database.
 */
public final class RdsService implements QueryService {
  private static final Logger log = LoggerFactory.getLogger(RdsService.class);
  private static final String NAMESPACE = "http://rds.amazonaws.com/doc/2014-10-31/";
  private static final Pattern IDENTIFIER = Pattern.compile("[a-z](?:-?[a-z0-9])*");
  private static final int DEFAULT_PORT = 5432;

  private final String region;
  private final String accountId;
  private final RdsTiming timing;
  private final ScheduledExecutorService lifecycle;
  private final DatabaseBacking backing;
  private final Clock clock;
  private final Map<String, DbInstance> instances = new HashMap<>();
  private final Map<String, DbSnapshot> snapshots = new HashMap<>();

  /**
   * @param lifecycle runs the delayed transitions (and the real database work, off the request
   *     path)
   */
  public RdsService(
      String region,
      String accountId,
      RdsTiming timing,
      ScheduledExecutorService lifecycle,
      DatabaseBacking backing,
      Clock clock) {
    this.region = region;
    this.accountId = accountId;
    this.timing = timing;
    this.lifecycle = lifecycle;
    this.backing = backing;
    this.clock = clock;
  }

  @Override
  public String apiVersion() {
    return "2014-10-31";
  }

  @Override
  public String signingName() {
    return "rds";
  }

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public synchronized Reply handle(String action, QueryParams p, String requestId) {
    return switch (action) {
      case "CreateDBInstance" -> ok(action, requestId, createInstance(p));
      case "DescribeDBInstances" -> describeInstances(p, requestId);
      case "ModifyDBInstance" -> ok(action, requestId, modifyInstance(p));
      case "DeleteDBInstance" -> ok(action, requestId, deleteInstance(p));
      case "CreateDBSnapshot" -> ok(action, requestId, createSnapshot(p));
      case "DescribeDBSnapshots" -> describeSnapshots(p, requestId);
      case "DeleteDBSnapshot" -> ok(action, requestId, deleteSnapshot(p));
      case "RestoreDBInstanceFromDBSnapshot" -> ok(action, requestId, restore(p));
      case "AddTagsToResource" -> addTags(p, action, requestId);
      case "RemoveTagsFromResource" -> removeTags(p, action, requestId);
      case "ListTagsForResource" -> listTags(p, action, requestId);
      default -> throw QueryService.unknownAction(action);
    };
  }

  private Reply ok(String action, String requestId, Consumer<Xml> result) {
    return QueryProtocol.ok(NAMESPACE, action, requestId, result);
  }

  // ---- instances ----

  private Consumer<Xml> createInstance(QueryParams p) {
    String id = identifier(p, "DBInstanceIdentifier");
    String engine = p.required("Engine").toLowerCase(Locale.ROOT);
    String instanceClass = p.required("DBInstanceClass");
    String username = p.required("MasterUsername");
    String password = validPassword(p.required("MasterUserPassword"));
    if (instances.containsKey(id)) {
      throw new AwsError(400, "DBInstanceAlreadyExists", "DB instance already exists");
    }
    DbInstance instance =
        new DbInstance(
            id,
            resourceId(),
            clock.instant(),
            engine,
            p.get("EngineVersion").orElse(defaultVersion(engine)),
            username,
            password,
            p.get("DBName"),
            instanceClass,
            p.integer("AllocatedStorage").orElse(20));
    instance.deletionProtection = p.bool("DeletionProtection").orElse(false);
    readTags(p).forEach(instance.tags::put);
    instances.put(id, instance);
    startCreating(instance, Optional.empty());
    return xml -> RdsXml.instance(xml, instance, arn("db", id), view(instance));
  }

  /** The new (or restored) instance becomes a database after {@code creating}. */
  private void startCreating(DbInstance instance, Optional<DbSnapshot> from) {
    after(
        timing.creating(),
        () -> {
          if (!isStill(instance, "creating")) {
            return; // deleted before its database was made
          }
          try {
            if (from.isPresent()) {
              backing.copyDatabase(
                  from.get().databaseName,
                  instance.databaseName,
                  instance.masterUsername,
                  instance.password);
            } else {
              backing.createDatabase(
                  instance.databaseName, instance.masterUsername, instance.password);
            }
          } catch (RuntimeException e) {
            log.warn("instance {} failed: {}", instance.identifier, e.getMessage());
            transition(instance, "creating", i -> i.status = "failed");
            return;
          }
          transition(
              instance,
              "creating",
              i -> {
                i.endpoint = Optional.of(endpointFor(i));
                i.status = "backing-up";
                afterTransition(timing.backingUp(), i, "backing-up", j -> j.status = "available");
              });
        });
  }

  private DbInstance.Endpoint endpointFor(DbInstance instance) {
    return backing
        .endpoint()
        .map(e -> new DbInstance.Endpoint(e.host(), e.port()))
        .orElseGet(
            () ->
                new DbInstance.Endpoint(
                    instance.identifier + ".devstack." + region + ".rds.amazonaws.com",
                    DEFAULT_PORT));
  }

  private Reply describeInstances(QueryParams p, String requestId) {
    // DescribeDBInstances takes the instance's ARN as well as its identifier.
    String arnPrefix = arn("db", "");
    Optional<String> id =
        p.get("DBInstanceIdentifier")
            .map(v -> v.startsWith(arnPrefix) ? v.substring(arnPrefix.length()) : v)
            .map(this::normalise);
    Predicate<DbInstance> filter = instanceFilter(p.list("Filters"));
    return describe(
        "DescribeDBInstances",
        "DBInstances",
        p,
        requestId,
        id.map(this::instance)
            .map(List::of)
            .orElseGet(() -> select(instances.values(), filter, i -> i.identifier)),
        i -> i.identifier,
        (xml, i) -> RdsXml.instance(xml, i, arn("db", i.identifier), view(i)));
  }

  private Predicate<DbInstance> instanceFilter(List<QueryParams> filters) {
    Predicate<DbInstance> all = i -> true;
    for (QueryParams f : filters) {
      String name = f.required("Name");
      List<String> values = f.strings("Values");
      Predicate<DbInstance> one =
          switch (name) {
            case "db-instance-id" ->
                i -> values.contains(i.identifier) || values.contains(arn("db", i.identifier));
            case "dbi-resource-id" -> i -> values.contains(i.resourceId);
            case "engine" -> i -> values.contains(i.engine);
            default -> throw AwsError.invalidParameter("Unrecognized filter name: " + name);
          };
      all = all.and(one);
    }
    return all;
  }

  private Consumer<Xml> modifyInstance(QueryParams p) {
    DbInstance instance = instance(normalise(p.required("DBInstanceIdentifier")));
    if (p.get("NewDBInstanceIdentifier").isPresent()) {
      throw AwsError.invalidParameter(
          "devstack does not rename instances (NewDBInstanceIdentifier)");
    }
    if (!instance.status.equals("available")) {
      throw new AwsError(
          400, "InvalidDBInstanceState", "Database instance is not in available state.");
    }
    p.bool("DeletionProtection").ifPresent(v -> instance.deletionProtection = v);
    boolean now = p.bool("ApplyImmediately").orElse(false);
    p.get("DBInstanceClass").ifPresent(c -> instance.pendingInstanceClass = Optional.of(c));
    p.integer("AllocatedStorage").ifPresent(s -> instance.pendingStorage = Optional.of(s));
    Optional<String> password = p.get("MasterUserPassword").map(RdsService::validPassword);
    // AWS changes the master password as soon as possible whatever ApplyImmediately says; other
    // changes wait for a maintenance window, which this stand-in never reaches.
    if (password.isPresent()) {
      instance.passwordPending = true;
      instance.status = "resetting-master-credentials";
    } else if (now
        && (instance.pendingInstanceClass.isPresent() || instance.pendingStorage.isPresent())) {
      instance.status = "modifying";
    }
    String changing = instance.status;
    Consumer<Xml> answer =
        xml -> RdsXml.instance(xml, instance, arn("db", instance.identifier), view(instance));
    if (changing.equals("available")) {
      return answer;
    }
    boolean applyOthers = now;
    after(
        timing.modifying(),
        () -> {
          password.ifPresent(
              pw -> backingQuietly(() -> backing.changePassword(instance.masterUsername, pw)));
          transition(
              instance,
              changing,
              i -> {
                password.ifPresent(pw -> i.password = pw);
                i.passwordPending = false;
                if (applyOthers) {
                  i.pendingInstanceClass.ifPresent(c -> i.instanceClass = c);
                  i.pendingStorage.ifPresent(s -> i.allocatedStorage = s);
                  i.pendingInstanceClass = Optional.empty();
                  i.pendingStorage = Optional.empty();
                }
                i.status = "available";
              });
        });
    return answer;
  }

  private Consumer<Xml> deleteInstance(QueryParams p) {
    DbInstance instance = instance(normalise(p.required("DBInstanceIdentifier")));
    boolean skip = p.bool("SkipFinalSnapshot").orElse(false);
    Optional<String> finalSnapshot = p.get("FinalDBSnapshotIdentifier").map(this::normalise);
    if (instance.status.equals("deleting")) {
      throw new AwsError(
          400,
          "InvalidDBInstanceState",
          "Instance " + instance.identifier + " is already being deleted.");
    }
    if (instance.deletionProtection) {
      throw new AwsError(
          400,
          "InvalidParameterCombination",
          "Cannot delete protected DB Instance, please disable deletion protection and try again.");
    }
    if (skip && finalSnapshot.isPresent()) {
      throw new AwsError(
          400,
          "InvalidParameterCombination",
          "Cannot specify a final snapshot identifier when SkipFinalSnapshot is true.");
    }
    if (!skip && finalSnapshot.isEmpty()) {
      throw new AwsError(
          400,
          "InvalidParameterCombination",
          "FinalDBSnapshotIdentifier is required unless SkipFinalSnapshot is specified.");
    }
    Optional<DbSnapshot> last = Optional.empty();
    if (finalSnapshot.isPresent()) {
      if (!instance.status.equals("available")) {
        throw new AwsError(
            400,
            "InvalidDBInstanceState",
            "Instance "
                + instance.identifier
                + " is currently "
                + instance.status
                + " - a final snapshot cannot be taken.");
      }
      last = Optional.of(newSnapshot(finalSnapshot.get(), instance));
    }
    instance.status = "deleting";
    Optional<DbSnapshot> copy = last;
    after(
        timing.deleting(),
        () -> {
          copy.ifPresent(s -> takeSnapshot(instance, s));
          synchronized (this) {
            if (instances.get(instance.identifier) != instance) {
              return;
            }
            instances.remove(instance.identifier);
          }
          // IF EXISTS in the drop covers an instance deleted before its database was made.
          backingQuietly(() -> backing.dropDatabase(instance.databaseName, roleIfUnused(instance)));
        });
    return xml -> RdsXml.instance(xml, instance, arn("db", instance.identifier), view(instance));
  }

  private synchronized Optional<String> roleIfUnused(DbInstance gone) {
    boolean used =
        instances.values().stream().anyMatch(i -> i.masterUsername.equals(gone.masterUsername));
    return used ? Optional.empty() : Optional.of(gone.masterUsername);
  }

  // ---- snapshots ----

  private Consumer<Xml> createSnapshot(QueryParams p) {
    String snapshotId = identifier(p, "DBSnapshotIdentifier");
    DbInstance instance = instance(normalise(p.required("DBInstanceIdentifier")));
    if (!instance.status.equals("available")) {
      throw new AwsError(
          400,
          "InvalidDBInstanceState",
          "Cannot create a snapshot because the database instance "
              + instance.identifier
              + " is not currently in the available state.");
    }
    DbSnapshot snapshot = newSnapshot(snapshotId, instance);
    readTags(p).forEach(snapshot.tags::put);
    instance.status = "backing-up";
    after(
        timing.snapshotting(),
        () -> {
          takeSnapshot(instance, snapshot);
          transition(instance, "backing-up", i -> i.status = "available");
        });
    return xml -> RdsXml.snapshot(xml, snapshot, arn("snapshot", snapshotId));
  }

  private DbSnapshot newSnapshot(String snapshotId, DbInstance instance) {
    if (snapshots.containsKey(snapshotId)) {
      throw new AwsError(
          400,
          "DBSnapshotAlreadyExists",
          "Cannot create the snapshot because a snapshot with the identifier "
              + snapshotId
              + " already exists.");
    }
    DbSnapshot snapshot =
        new DbSnapshot(snapshotId, instance, clock.instant(), endpointFor(instance).port());
    snapshots.put(snapshotId, snapshot);
    return snapshot;
  }

  /** Copies the instance's data (off the lock) and makes the snapshot available. */
  private void takeSnapshot(DbInstance instance, DbSnapshot snapshot) {
    String status = "available";
    try {
      backing.copyDatabase(
          instance.databaseName, snapshot.databaseName, instance.masterUsername, instance.password);
    } catch (RuntimeException e) {
      log.warn("snapshot {} failed: {}", snapshot.identifier, e.getMessage());
      status = "failed";
    }
    synchronized (this) {
      snapshot.status = status;
    }
  }

  private Reply describeSnapshots(QueryParams p, String requestId) {
    Optional<String> id = p.get("DBSnapshotIdentifier").map(this::normalise);
    Optional<String> instanceId = p.get("DBInstanceIdentifier").map(this::normalise);
    Predicate<DbSnapshot> filter = s -> instanceId.map(s.instanceIdentifier::equals).orElse(true);
    for (QueryParams f : p.list("Filters")) {
      String name = f.required("Name");
      List<String> values = f.strings("Values");
      filter =
          filter.and(
              switch (name) {
                case "db-instance-id" -> s -> values.contains(s.instanceIdentifier);
                case "db-snapshot-id" -> s -> values.contains(s.identifier);
                case "snapshot-type" -> s -> values.contains("manual");
                case "engine" -> s -> values.contains(s.engine);
                default -> throw AwsError.invalidParameter("Unrecognized filter name: " + name);
              });
    }
    Predicate<DbSnapshot> chosen = filter;
    return describe(
        "DescribeDBSnapshots",
        "DBSnapshots",
        p,
        requestId,
        id.map(this::snapshot)
            .map(List::of)
            .orElseGet(() -> select(snapshots.values(), chosen, x -> x.identifier)),
        x -> x.identifier,
        (xml, x) -> RdsXml.snapshot(xml, x, arn("snapshot", x.identifier)));
  }

  private static <T> List<T> select(
      Collection<T> all, Predicate<T> filter, Function<T, String> key) {
    return all.stream().filter(filter).sorted(Comparator.comparing(key)).toList();
  }

  /** A Describe answer: one page of items in a list element, with the next page's marker. */
  private <T> Reply describe(
      String action,
      String listElement,
      QueryParams p,
      String requestId,
      List<T> matching,
      Function<T, String> key,
      BiConsumer<Xml, T> render) {
    Page<T> page = Page.of(matching, key, p.get("Marker"), Page.maxRecords(p, 20, 100));
    return ok(
        action,
        requestId,
        xml -> {
          xml.open(listElement);
          page.items().forEach(item -> render.accept(xml, item));
          xml.close();
          page.nextMarker().ifPresent(m -> xml.leaf("Marker", m));
        });
  }

  private Consumer<Xml> deleteSnapshot(QueryParams p) {
    DbSnapshot snapshot = snapshot(normalise(p.required("DBSnapshotIdentifier")));
    if (!snapshot.status.equals("available") && !snapshot.status.equals("failed")) {
      throw new AwsError(
          400,
          "InvalidDBSnapshotState",
          "Cannot delete the snapshot because it is not currently in the available state.");
    }
    snapshots.remove(snapshot.identifier);
    snapshot.status = "deleted";
    after(
        Duration.ZERO,
        () -> backingQuietly(() -> backing.dropDatabase(snapshot.databaseName, Optional.empty())));
    return xml -> RdsXml.snapshot(xml, snapshot, arn("snapshot", snapshot.identifier));
  }

  private Consumer<Xml> restore(QueryParams p) {
    String id = identifier(p, "DBInstanceIdentifier");
    DbSnapshot snapshot = snapshot(normalise(p.required("DBSnapshotIdentifier")));
    if (instances.containsKey(id)) {
      throw new AwsError(400, "DBInstanceAlreadyExists", "DB instance already exists");
    }
    if (!snapshot.status.equals("available")) {
      throw new AwsError(
          400, "InvalidDBSnapshotState", "Snapshot " + snapshot.identifier + " is not available.");
    }
    DbInstance instance =
        new DbInstance(
            id,
            resourceId(),
            clock.instant(),
            snapshot.engine,
            snapshot.engineVersion,
            snapshot.masterUsername,
            snapshot.password,
            snapshot.requestedDbName,
            p.get("DBInstanceClass").orElse(snapshot.instanceClass),
            snapshot.allocatedStorage);
    instance.deletionProtection = p.bool("DeletionProtection").orElse(false);
    readTags(p).forEach(instance.tags::put);
    instances.put(id, instance);
    startCreating(instance, Optional.of(snapshot));
    return xml -> RdsXml.instance(xml, instance, arn("db", id), view(instance));
  }

  // ---- tags ----

  private Map<String, String> taggable(String arn) {
    String prefix = "arn:aws:rds:" + region + ":" + accountId + ":";
    if (!arn.startsWith(prefix)) {
      throw AwsError.invalidParameter("Invalid resource name: " + arn);
    }
    String[] kind = arn.substring(prefix.length()).split(":", 2);
    if (kind.length == 2 && kind[0].equals("db")) {
      return instance(kind[1]).tags;
    }
    if (kind.length == 2 && kind[0].equals("snapshot")) {
      return snapshot(kind[1]).tags;
    }
    throw AwsError.invalidParameter("Invalid resource name: " + arn);
  }

  private Reply addTags(QueryParams p, String action, String requestId) {
    Map<String, String> tags = taggable(p.required("ResourceName"));
    readTags(p).forEach(tags::put);
    return QueryProtocol.okWithoutResult(NAMESPACE, action, requestId);
  }

  private Reply removeTags(QueryParams p, String action, String requestId) {
    Map<String, String> tags = taggable(p.required("ResourceName"));
    p.strings("TagKeys").forEach(tags::remove);
    return QueryProtocol.okWithoutResult(NAMESPACE, action, requestId);
  }

  private Reply listTags(QueryParams p, String action, String requestId) {
    Map<String, String> tags = taggable(p.required("ResourceName"));
    return ok(action, requestId, xml -> RdsXml.tags(xml, tags));
  }

  private static Map<String, String> readTags(QueryParams p) {
    Map<String, String> tags = new java.util.LinkedHashMap<>();
    for (QueryParams tag : p.list("Tags")) {
      tags.put(tag.required("Key"), tag.get("Value").orElse(""));
    }
    return tags;
  }

  // ---- lookups, validation, scheduling ----

  private DbInstance instance(String id) {
    DbInstance instance = instances.get(id);
    if (instance == null) {
      throw new AwsError(404, "DBInstanceNotFound", "DBInstance " + id + " not found.");
    }
    return instance;
  }

  private DbSnapshot snapshot(String id) {
    DbSnapshot snapshot = snapshots.get(id);
    if (snapshot == null) {
      throw new AwsError(404, "DBSnapshotNotFound", "DBSnapshot " + id + " not found.");
    }
    return snapshot;
  }

  /** How DescribeDBInstances shows an instance: the real database's name when backed. */
  private RdsXml.View view(DbInstance instance) {
    Optional<String> dbName =
        backing.endpoint().isPresent()
            ? Optional.of(instance.databaseName)
            : instance.requestedDbName;
    return new RdsXml.View(dbName, region);
  }

  private String arn(String kind, String id) {
    return "arn:aws:rds:" + region + ":" + accountId + ":" + kind + ":" + id;
  }

  /** RDS identifiers are case-insensitive and stored lower-case. */
  private String normalise(String id) {
    return id.toLowerCase(Locale.ROOT);
  }

  private String identifier(QueryParams p, String name) {
    String id = normalise(p.required(name));
    if (id.length() > 63 || !IDENTIFIER.matcher(id).matches()) {
      throw AwsError.invalidParameter(
          "The parameter "
              + name
              + " is not a valid identifier. Identifiers must begin with a letter; must contain"
              + " only ASCII letters, digits, and hyphens; and must not end with a hyphen or"
              + " contain two consecutive hyphens.");
    }
    return id;
  }

  private static String validPassword(String password) {
    if (password.length() < 8) {
      throw AwsError.invalidParameter(
          "The parameter MasterUserPassword is not a valid password because it is shorter than 8"
              + " characters.");
    }
    if (password.length() > 128
        || password
            .chars()
            .anyMatch(c -> c < 0x21 || c > 0x7e || c == '/' || c == '@' || c == '"')) {
      throw AwsError.invalidParameter(
          "The parameter MasterUserPassword is not a valid password. Only printable ASCII"
              + " characters besides '/', '@', '\"', ' ' may be used.");
    }
    return password;
  }

  private static String defaultVersion(String engine) {
    return engine.equals("postgres") ? "16.4" : "8.0.39";
  }

  private static String resourceId() {
    StringBuilder id = new StringBuilder("db-");
    String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";
    for (int i = 0; i < 26; i++) {
      id.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
    }
    return id.toString();
  }

  private void after(Duration delay, Runnable task) {
    lifecycle.schedule(
        () -> {
          try {
            task.run();
          } catch (RuntimeException e) {
            log.warn("RDS lifecycle task failed", e);
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private void afterTransition(
      Duration delay, DbInstance instance, String expected, Consumer<DbInstance> change) {
    after(delay, () -> transition(instance, expected, change));
  }

  private synchronized boolean isStill(DbInstance instance, String status) {
    return instances.get(instance.identifier) == instance && instance.status.equals(status);
  }

  /** Applies a change if the instance still exists and is still in the expected status. */
  private synchronized void transition(
      DbInstance instance, String expected, Consumer<DbInstance> change) {
    if (isStill(instance, expected)) {
      change.accept(instance);
    }
  }

  private static void backingQuietly(Runnable work) {
    try {
      work.run();
    } catch (RuntimeException e) {
      log.warn("real database work failed: {}", e.getMessage());
    }
  }
}
