package dev.reviewapps.client.inventory;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Everything created for one review app (the finalizer record), plus the facts about its release
 * that must survive a crash: which release has been migrated, whether the seed has ever run, where
 * the database listens, and the allocations it asks of the cluster (what capacity packs).
 *
 * @param resources every resource, in the order first recorded
 * @param databaseEndpoint {@code host:port} the jobs connect to, once known
 * @param databaseName the database name inside that server
 * @param migratedRelease the release key whose migration completed last
 * @param seeded true once the seed job completed: it never runs again
 * @param allocations the footprint of each allocation of the service job, for capacity
 * @param appliedSpec the last valid spec (JSON), which an app keeps running when an invalid update
 *     arrives
 * @param teardown present once the app's teardown has begun (its spec is gone): how far it came
 * @param sleep whether the app sleeps on idle, and since when
 * @param cost what the app has cost so far and costs per hour, once worked out
 */
public record Inventory(
    String app,
    List<Resource> resources,
    Optional<String> databaseEndpoint,
    Optional<String> databaseName,
    Optional<String> migratedRelease,
    boolean seeded,
    List<Footprint> allocations,
    Optional<String> appliedSpec,
    Optional<TeardownProgress> teardown,
    SleepState sleep,
    Optional<CostLedger> cost) {

  public Inventory {
    Objects.requireNonNull(app, "app");
    resources = List.copyOf(resources);
    Objects.requireNonNull(databaseEndpoint, "databaseEndpoint");
    Objects.requireNonNull(databaseName, "databaseName");
    Objects.requireNonNull(migratedRelease, "migratedRelease");
    allocations = List.copyOf(allocations);
    Objects.requireNonNull(appliedSpec, "appliedSpec");
    Objects.requireNonNull(teardown, "teardown");
    Objects.requireNonNull(sleep, "sleep");
    Objects.requireNonNull(cost, "cost");
  }

  /** The inventory of an app for which nothing exists yet. */
  public static Inventory empty(String app) {
    return new Inventory(
        app,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        false,
        List.of(),
        Optional.empty(),
        Optional.empty(),
        SleepState.AWAKE,
        Optional.empty());
  }

  /** True when the resource is recorded. */
  public boolean has(Resource resource) {
    return resources.contains(resource);
  }

  /** This inventory with {@code resource} recorded (once). */
  public Inventory with(Resource resource) {
    if (has(resource)) {
      return this;
    }
    List<Resource> more = new ArrayList<>(resources);
    more.add(resource);
    return new Inventory(
        app,
        more,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  /** This inventory without {@code resource}. */
  public Inventory without(Resource resource) {
    List<Resource> fewer = new ArrayList<>(resources);
    fewer.remove(resource);
    return new Inventory(
        app,
        fewer,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  /**
   * {@code postgresql://user:password@host:port/db} with {@code login}, once the database's
   * endpoint and name are recorded. It holds the password: for job environments only.
   */
  public Optional<String> databaseUrl(DatabaseCredentials login) {
    return databaseEndpoint.flatMap(endpoint -> databaseName.map(db -> login.url(endpoint, db)));
  }

  /** The recorded resources of one kind. */
  public <T extends Resource> List<T> resources(Class<T> kind) {
    return resources.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  public Inventory withDatabase(String endpoint, String name) {
    return new Inventory(
        app,
        resources,
        Optional.of(endpoint),
        Optional.of(name),
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  public Inventory withMigratedRelease(String release) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        Optional.of(release),
        seeded,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  public Inventory withSeeded() {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        true,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  public Inventory withAllocations(List<Footprint> footprints) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        footprints,
        appliedSpec,
        teardown,
        sleep,
        cost);
  }

  public Inventory withAppliedSpec(String specJson) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        Optional.of(specJson),
        teardown,
        sleep,
        cost);
  }

  /** This inventory with the teardown's progress recorded. */
  public Inventory withTeardown(TeardownProgress progress) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        Optional.of(progress),
        sleep,
        cost);
  }

  /** This inventory with the app's sleep state changed. */
  public Inventory withSleep(SleepState state) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        teardown,
        state,
        cost);
  }

  /** This inventory with the app's cost ledger. */
  public Inventory withCost(CostLedger ledger) {
    return new Inventory(
        app,
        resources,
        databaseEndpoint,
        databaseName,
        migratedRelease,
        seeded,
        allocations,
        appliedSpec,
        teardown,
        sleep,
        Optional.of(ledger));
  }
}
