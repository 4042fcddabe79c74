package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.controller.reviewapp.aws.RdsInstances;
import dev.reviewapps.controller.reviewapp.credentials.CredentialStore;
import dev.reviewapps.controller.reviewapp.credentials.DatabaseCredentials;
import dev.reviewapps.controller.reviewapp.inventory.Resource;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabase;
import dev.reviewapps.controller.reviewapp.postgres.SharedDatabases;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.status.ConditionType;
import java.util.Optional;

/**
 * DatabaseReady: the app's database and its credentials, by the spec's mode. Credentials are
 * generated and stored first; each resource is recorded in the inventory before it is created.
 */
final class DatabaseStep implements Step {

  private final CredentialStore credentials;
  private final SharedDatabases shared;
  private final RdsInstances rds;
  private final DatabaseSettings settings;

  DatabaseStep(
      CredentialStore credentials,
      SharedDatabases shared,
      RdsInstances rds,
      DatabaseSettings settings) {
    this.credentials = credentials;
    this.shared = shared;
    this.rds = rds;
    this.settings = settings;
  }

  @Override
  public ConditionType condition() {
    return ConditionType.DatabaseReady;
  }

  @Override
  public StepOutcome run(Reconciliation run) {
    Database database = run.spec().database();
    if (database instanceof Database.Shared s) {
      return shared(run, s);
    }
    if (database instanceof Database.Instance i) {
      return instance(run, i);
    }
    return snapshot(run, (Database.Snapshot) database);
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
}
