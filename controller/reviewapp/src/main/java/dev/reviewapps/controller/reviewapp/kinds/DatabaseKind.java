package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.client.inventory.DatabaseCredentials;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.Reconciliation;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.StepOutcome;
import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.credentials.CredentialStore;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabases;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.time.Duration;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The database (DatabaseReady) and its credentials, by the spec's mode: a database and role on the
 * shared server, an RDS instance of its own, or one restored from an allowed snapshot. Credentials
 * are generated and stored first; each resource is recorded in the inventory before it is created.
 *
 * <p>Deleted: the shared database and role are dropped; an RDS instance is deleted (with a final
 * snapshot when {@code reviewapp.teardown.finalSnapshot}) and waited for until it is gone; then the
 * credentials. A recorded resource that turns out to be someone else's is forgotten, never deleted.
 * Orphans: RDS instances tagged as a review app's and shared databases commented as one, each only
 * under the exact name review-apps gives that app.
 */
public final class DatabaseKind implements ResourceKind {

  private static final Logger LOG = LoggerFactory.getLogger(DatabaseKind.class);

  /** Final snapshot names end with the teardown's start: unique per teardown, yet deterministic. */
  private static final DateTimeFormatter SNAPSHOT_TIME =
      DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

  private final CredentialStore credentials;
  private final SharedDatabases shared;
  private final RdsInstances rds;
  private final DatabaseSettings settings;
  private final TeardownSettings teardown;

  @Inject
  DatabaseKind(ReviewAppProviders providers, DatabaseSettings settings, TeardownSettings teardown) {
    this.credentials = providers.credentials();
    this.shared = providers.sharedDatabases();
    this.rds = providers.rds();
    this.settings = settings;
    this.teardown = teardown;
  }

  @Override
  public String name() {
    return "database";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.of(ConditionType.DatabaseReady);
  }

  @Override
  public StepOutcome ensure(Reconciliation run) {
    Database database = run.spec().database();
    if (database instanceof Database.Shared s) {
      return shared(run, s);
    }
    if (database instanceof Database.Instance i) {
      return instance(run, i);
    }
    return snapshot(run, (Database.Snapshot) database);
  }

  /**
   * Once the app's database is recorded (being made, or made), {@code spec.database} is fixed: any
   * change would give the app another, empty database (never seeded, since seeding runs once) and
   * leave the first one, an RDS instance included, running and paid for until the teardown; a new
   * template, size or snapshot would not be applied at all while status claimed it was.
   */
  @Override
  public List<Violation> refusedChanges(
      Inventory inventory, ReviewAppSpec applied, ReviewAppSpec next) {
    return refusedChanges(inventory, applied.database(), next.database());
  }

  static List<Violation> refusedChanges(Inventory inventory, Database applied, Database next) {
    boolean exists =
        !inventory.resources(Resource.SharedDatabase.class).isEmpty()
            || !inventory.resources(Resource.RdsInstance.class).isEmpty();
    if (!exists || applied.equals(next)) {
      return List.of();
    }
    return List.of(
        new Violation(
            "$.spec.database",
            Rule.IMMUTABLE,
            "cannot change once the app's database exists (it is "
                + describe(applied)
                + ", the update asks for "
                + describe(next)
                + "): delete the app and apply it again for a new database"));
  }

  private static String describe(Database database) {
    if (database instanceof Database.Shared s) {
      return "shared" + s.template().map(t -> " from template " + t).orElse("");
    }
    if (database instanceof Database.Instance i) {
      return "instance "
          + i.instanceClass()
          + ", "
          + i.allocatedStorageGb()
          + " GB"
          + i.engineVersion().map(v -> ", PostgreSQL " + v).orElse("");
    }
    Database.Snapshot snap = (Database.Snapshot) database;
    return "snapshot "
        + snap.snapshotIdentifier()
        + snap.instanceClass().map(c -> ", " + c).orElse("");
  }

  private StepOutcome shared(Reconciliation run, Database.Shared spec) {
    SharedDatabase db = SharedDatabase.forApp(run.app(), spec.template());
    DatabaseCredentials login = credentialsFor(run, db.role());
    boolean recorded =
        run.inventory().has(new Resource.SharedDatabase(db.database(), db.role()))
            && run.inventory().databaseEndpoint().isPresent();
    // Once recorded, a resync only checks that it is still there: no DDL on every pass.
    if (!recorded || !shared.exists(db)) {
      run.record(new Resource.SharedDatabase(db.database(), db.role()));
      try {
        shared.ensure(db, login.password().toCharArray());
      } catch (SharedDatabases.TemplateMissingException e) {
        return new StepOutcome.Failed("TemplateMissing", e.getMessage());
      }
      run.updateInventory(i -> i.withDatabase(settings.sharedEndpoint(), db.database()));
    }
    return new StepOutcome.Ready(
        "Created",
        "database "
            + db.database()
            + spec.template().map(t -> " (from template " + t + ")").orElse("")
            + " on the shared server");
  }

  private StepOutcome instance(Reconciliation run, Database.Instance spec) {
    String id = rdsIdentifier(run.app());
    // The app's own user and database name inside its instance, as on the shared server.
    String appIdentifier = SharedDatabase.identifierFor(run.app());
    DatabaseCredentials login = credentialsFor(run, appIdentifier);
    run.record(new Resource.RdsInstance(id));
    Optional<RdsInstances.RdsInstance> found = rds.describe(id);
    if (found.isEmpty()) {
      rds.create(
          new RdsInstances.NewInstance(
              id,
              spec.instanceClass(),
              spec.allocatedStorageGb(),
              spec.engineVersion(),
              appIdentifier,
              login.username(),
              login.password(),
              run.app()));
      return creating(id, "creating");
    }
    if (!found.get().available()) {
      return creating(id, found.get().status());
    }
    RdsInstances.Endpoint endpoint = found.get().endpoint().orElseThrow();
    run.updateInventory(
        i -> i.withDatabase(endpoint.host() + ":" + endpoint.port(), appIdentifier));
    return new StepOutcome.Ready("Available", "RDS instance " + id + " is available");
  }

  private StepOutcome snapshot(Reconciliation run, Database.Snapshot spec) {
    String id = rdsIdentifier(run.app());
    run.record(new Resource.RdsInstance(id));
    Optional<RdsInstances.RdsInstance> found = rds.describe(id);
    if (found.isEmpty()) {
      rds.restore(
          spec.snapshotIdentifier(),
          new RdsInstances.NewInstance(
              id,
              spec.instanceClass().orElse(settings.snapshotInstanceClass()),
              0,
              Optional.empty(),
              settings.snapshotDatabaseName(),
              settings.instanceMasterUsername(),
              "",
              run.app()));
      return creating(id, "restoring from " + spec.snapshotIdentifier());
    }
    if (!found.get().available()) {
      return creating(id, found.get().status());
    }
    // A restored instance keeps the snapshot's master user, password and database (as RDS
    // does): log in as that user into that database, with a password of ours, set once; RDS
    // reports resetting-master-credentials until it applies it.
    RdsInstances.RdsInstance restored = found.get();
    String username = restored.masterUsername().orElse(settings.instanceMasterUsername());
    String database = restored.databaseName().orElse(settings.snapshotDatabaseName());
    DatabaseCredentials login = credentialsFor(run, username);
    if (run.inventory().databaseEndpoint().isEmpty()) {
      rds.setMasterPassword(id, login.password());
      RdsInstances.Endpoint endpoint = restored.endpoint().orElseThrow();
      run.updateInventory(i -> i.withDatabase(endpoint.host() + ":" + endpoint.port(), database));
      return creating(id, "setting the master password");
    }
    return new StepOutcome.Ready(
        "Restored", "RDS instance " + id + " restored from " + spec.snapshotIdentifier());
  }

  private StepOutcome creating(String id, String status) {
    return new StepOutcome.Waiting(
        "Creating", "RDS instance " + id + " is " + status, settings.rdsRecheck());
  }

  private DatabaseCredentials credentialsFor(Reconciliation run, String username) {
    run.record(new Resource.Credentials(credentials.locationOf(run.app())));
    DatabaseCredentials login = credentials.getOrCreate(run.app(), username);
    run.credentials(login);
    return login;
  }

  /** {@code ra-<name>} ({@link ResourceNames#rdsInstance}): one-to-one, never cleaned or cut. */
  static String rdsIdentifier(String app) {
    return ResourceNames.of(app).rdsInstance();
  }

  @Override
  public Optional<Duration> delete(Dismantling run) {
    List<Resource.SharedDatabase> databases =
        run.inventory().resources(Resource.SharedDatabase.class);
    List<Resource.RdsInstance> instances = run.inventory().resources(Resource.RdsInstance.class);
    if (!databases.isEmpty() || !instances.isEmpty()) {
      run.deleting("deleting the database");
    }
    for (Resource.SharedDatabase db : databases) {
      try {
        shared.drop(new SharedDatabase(run.app(), db.id(), db.role(), Optional.empty()));
        LOG.info("teardown of {}: database {} and role {} dropped", run.app(), db.id(), db.role());
      } catch (OwnershipConflict e) {
        // Recorded before an ensure that was refused: someone else's. Forgotten, never dropped.
        LOG.warn("teardown of {}: {}", run.app(), e.getMessage());
      }
      run.forget(db);
    }
    boolean waiting = false;
    for (Resource.RdsInstance instance : instances) {
      try {
        waiting |= deleteInstance(run, instance);
      } catch (OwnershipConflict e) {
        // Recorded before a create that found someone else's instance: forgotten, never deleted.
        LOG.warn("teardown of {}: {}", run.app(), e.getMessage());
        run.forget(instance);
      }
    }
    if (waiting) {
      return Optional.of(teardown.rdsRecheck());
    }
    // The login goes last: nothing that still runs needs it any more.
    for (Resource.Credentials c : run.inventory().resources(Resource.Credentials.class)) {
      run.deleting("deleting the credentials");
      credentials.delete(run.app());
      run.forget(c);
      LOG.info("teardown of {}: credentials {} deleted", run.app(), c.id());
    }
    return Optional.empty();
  }

  /** Deletes one RDS instance; true while it is not gone yet. */
  private boolean deleteInstance(Dismantling run, Resource.RdsInstance instance) {
    Optional<RdsInstances.RdsInstance> found = rds.describe(instance.id());
    if (found.isEmpty()) {
      run.forget(instance);
      LOG.info("teardown of {}: RDS instance {} deleted", run.app(), instance.id());
      return false;
    }
    String status = found.get().status();
    if (status.equals("deleting")) {
      return true;
    }
    Optional<String> snapshot = Optional.empty();
    if (teardown.finalSnapshot() && !status.equals("failed")) {
      if (!status.equals("available")) {
        // RDS takes a final snapshot of an available instance only; creating, modifying and
        // backing-up all end in available.
        LOG.debug("teardown of {}: RDS instance {} is {}", run.app(), instance.id(), status);
        return true;
      }
      snapshot = Optional.of(instance.id() + "-final-" + SNAPSHOT_TIME.format(run.since()));
    }
    rds.delete(instance.id(), snapshot);
    LOG.info(
        "teardown of {}: RDS instance {} deletion started{}",
        run.app(),
        instance.id(),
        snapshot.map(s -> " with final snapshot " + s).orElse(" without a final snapshot"));
    return true;
  }

  @Override
  public List<OrphanSource> orphans() {
    return List.of(
        new OrphanSource(
            "rds-instance",
            rds::tagged,
            (id, app) -> AppName.parse(app).map(n -> id.equals(rdsIdentifier(app))).orElse(false),
            o -> rds.delete(o.id(), Optional.empty())),
        new OrphanSource(
            "database",
            shared::tagged,
            (id, app) ->
                AppName.parse(app)
                    .map(n -> id.equals(ResourceNames.of(app).database()))
                    .orElse(false),
            o -> shared.drop(SharedDatabase.forApp(o.app(), Optional.empty()))));
  }
}
