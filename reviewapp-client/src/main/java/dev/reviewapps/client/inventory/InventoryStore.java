package dev.reviewapps.client.inventory;

import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import java.util.List;
import java.util.Optional;

/**
 * The inventories in Consul KV at {@code <prefix>/inventory/<name>}. Writes are check-and-set
 * against the version read, so that a controller that lost leadership in the middle of a reconcile
 * cannot overwrite what the new leader recorded.
 */
public final class InventoryStore {

  private final KeyValueStore kv;
  private final KeyLayout layout;

  public InventoryStore(KeyValueStore kv, KeyLayout layout) {
    this.kv = kv;
    this.layout = layout;
  }

  /** An inventory and the Consul ModifyIndex it was read at (0: not stored yet). */
  public record Versioned(Inventory inventory, long index) {}

  /** The app's inventory, or an empty one at index 0 when none is stored. */
  public Versioned read(String app) {
    Optional<KvEntry> entry = kv.get(layout.inventory(app));
    return entry
        .map(e -> new Versioned(InventoryJson.read(e.value()), e.modifyIndex()))
        .orElseGet(() -> new Versioned(Inventory.empty(app), 0));
  }

  /**
   * Writes {@code next} over the version {@code current} was read at and returns the new version.
   * Writing an unchanged inventory costs nothing.
   *
   * @throws InventoryConflict when someone else wrote it in between
   */
  public Versioned write(Versioned current, Inventory next) {
    if (current.index() != 0 && current.inventory().equals(next)) {
      return current;
    }
    String key = layout.inventory(next.app());
    if (!kv.compareAndSet(key, InventoryJson.write(next), current.index())) {
      throw new InventoryConflict(next.app());
    }
    // The new ModifyIndex is needed for the next write of the same reconcile.
    return kv.get(key)
        .map(e -> new Versioned(InventoryJson.read(e.value()), e.modifyIndex()))
        .orElseThrow(() -> new InventoryConflict(next.app()));
  }

  /** Every stored inventory: one recursive read. */
  public List<Inventory> all() {
    return kv
        .list(layout.inventories(), dev.reviewapps.consul.BlockingQuery.NONE)
        .entries()
        .stream()
        .map(e -> InventoryJson.read(e.value()))
        .toList();
  }

  /** Removes the record; the last step of teardown. */
  public void delete(String app) {
    kv.delete(layout.inventory(app));
  }

  /** Another writer changed the inventory since it was read; the reconcile runs again. */
  public static final class InventoryConflict extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public InventoryConflict(String app) {
      super("inventory of " + app + " changed while being updated");
    }
  }
}
