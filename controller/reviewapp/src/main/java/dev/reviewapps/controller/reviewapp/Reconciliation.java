package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.DatabaseCredentials;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.controller.reviewapp.nomad.AppRelease;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.List;
import java.util.Optional;
import java.util.function.UnaryOperator;

/**
 * The state of one reconcile run of one app, handed from step to step: the spec being applied, the
 * inventory as last written, and what earlier steps learned (credentials, Redis address). Not
 * shared between runs or threads.
 */
public final class Reconciliation {

  private final String app;
  private final ReviewAppSpec spec;
  private final InventoryStore inventories;
  private InventoryStore.Versioned inventory;
  private Optional<DatabaseCredentials> credentials = Optional.empty();
  private Optional<String> redisAddress = Optional.empty();
  private List<String> webAddresses = List.of();

  Reconciliation(
      String app, ReviewAppSpec spec, InventoryStore inventories, InventoryStore.Versioned read) {
    this.app = app;
    this.spec = spec;
    this.inventories = inventories;
    this.inventory = read;
  }

  public String app() {
    return app;
  }

  public ReviewAppSpec spec() {
    return spec;
  }

  public Inventory inventory() {
    return inventory.inventory();
  }

  /** Changes the inventory and writes it at once (check-and-set), before the caller goes on. */
  public Inventory updateInventory(UnaryOperator<Inventory> change) {
    inventory = inventories.write(inventory, change.apply(inventory.inventory()));
    return inventory.inventory();
  }

  /** Records {@code resource} in the inventory (written at once) unless it is there already. */
  public void record(Resource resource) {
    if (!inventory().has(resource)) {
      updateInventory(i -> i.with(resource));
    }
  }

  /** True while the app sleeps (or is falling asleep): web and worker run no allocation. */
  public boolean asleep() {
    return inventory().sleep().asleep();
  }

  public Optional<DatabaseCredentials> credentials() {
    return credentials;
  }

  public void credentials(DatabaseCredentials value) {
    credentials = Optional.of(value);
  }

  /** {@code ip:port} of the app's Redis, once the Redis step found it serving. */
  public Optional<String> redisAddress() {
    return redisAddress;
  }

  public void redisAddress(String address) {
    redisAddress = Optional.of(address);
  }

  /** {@code ip:port} of each serving web allocation of the current version, sorted. */
  public List<String> webAddresses() {
    return webAddresses;
  }

  public void webAddresses(List<String> addresses) {
    webAddresses = List.copyOf(addresses);
  }

  /**
   * What the jobs of this app are built from: its database URL (the database step has run), its
   * Redis URL once the Redis step knows the address, and the Redis password, both with the password
   * derived from the app's credentials.
   */
  public AppRelease release() {
    return new AppRelease(
        app(),
        spec(),
        databaseUrl().orElseThrow(),
        redisAddress.flatMap(a -> credentials.map(c -> c.redisUrl(a))),
        credentials.map(DatabaseCredentials::redisPassword));
  }

  /**
   * {@code postgresql://user:password@host:port/db} for the jobs, once the database step has
   * recorded the endpoint. It holds the password: it goes into the job environment and nowhere
   * else.
   */
  public Optional<String> databaseUrl() {
    return credentials.flatMap(login -> inventory().databaseUrl(login));
  }
}
