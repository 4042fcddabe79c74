package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryStore;
import dev.reviewapps.client.inventory.Resource;
import dev.reviewapps.client.inventory.TeardownProgress;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

/**
 * One teardown pass of one app, handed from kind to kind: its inventory as last written (every
 * change written at once, check-and-set) and the teardown's progress. Not shared between passes or
 * threads.
 */
public final class Dismantling {

  private final String app;
  private final InventoryStore inventories;
  private final Consumer<String> deleting;
  private InventoryStore.Versioned inventory;

  /**
   * @param deleting told what is being deleted when a kind starts to delete something, for status
   */
  public Dismantling(
      String app,
      InventoryStore inventories,
      InventoryStore.Versioned read,
      Consumer<String> deleting) {
    this.app = app;
    this.inventories = inventories;
    this.inventory = read;
    this.deleting = deleting;
  }

  public String app() {
    return app;
  }

  public Inventory inventory() {
    return inventory.inventory();
  }

  /** When the teardown began, attempts of the predestroy command. */
  public TeardownProgress progress() {
    return inventory().teardown().orElseThrow();
  }

  /** Changes the inventory and writes it at once (check-and-set). */
  public void update(UnaryOperator<Inventory> change) {
    inventory = inventories.write(inventory, change.apply(inventory()));
  }

  /** Removes {@code resource} from the inventory once it is deleted. */
  public void forget(Resource resource) {
    update(i -> i.without(resource));
  }

  public TeardownProgress updateProgress(UnaryOperator<TeardownProgress> change) {
    update(i -> i.withTeardown(change.apply(progress())));
    return progress();
  }

  /** Records {@code resource} before it is created (the predestroy job), as a reconcile does. */
  public void record(Resource resource) {
    if (!inventory().has(resource)) {
      update(i -> i.with(resource));
    }
  }

  /** Status says what is being deleted now ({@code "deleting the database"}). */
  public void deleting(String what) {
    deleting.accept(what);
  }

  /** The last valid spec the app ran, if it ever had one. */
  public Optional<ReviewAppSpec> appliedSpec() {
    return inventory()
        .appliedSpec()
        .flatMap(s -> ReviewAppJson.parse(s.getBytes(StandardCharsets.UTF_8)).toOptional())
        .map(ReviewApp::spec);
  }

  /** When this teardown began. */
  public Instant since() {
    return progress().since();
  }
}
