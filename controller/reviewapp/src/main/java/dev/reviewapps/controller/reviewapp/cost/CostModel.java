package dev.reviewapps.controller.reviewapp.cost;

import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.model.spec.Database;
import java.util.List;

/**
 * An app's cost per hour: its share of the instances it runs on, plus its database.
 *
 * <ul>
 *   <li>Compute: each allocation (each copy of each task group) pays the share of one instance its
 *       dominant resource takes, CPU or memory, of what the capacity planner packs onto an instance
 *       (the instance size less the headroom). Ten apps that fill an instance pay its price between
 *       them. A sleeping app's allocations are Redis only.
 *   <li>Database: {@code instance} and {@code snapshot} mode pay their RDS class by the hour and
 *       their storage by the GB-month ({@code snapshot} counts the class's price and the default
 *       storage); {@code shared} mode pays its share of the shared server (its price over the
 *       number of apps it is sized for) and {@code sharedDatabaseGb} of storage.
 * </ul>
 */
public final class CostModel {
  /** us-east-1 prices on the default capacity settings: 4,000 MHz, 8,192 MB, 10% headroom. */
  public static final CostModel DEFAULT =
      new CostModel(PriceTable.US_EAST_1, new Footprint(4000, 8192), 0.1);

  private final PriceTable prices;
  private final Footprint usable;

  /**
   * @param instanceSize what one instance offers to Nomad
   * @param headroomShare the share of each instance the capacity planner keeps free
   */
  public CostModel(PriceTable prices, Footprint instanceSize, double headroomShare) {
    this.prices = prices;
    this.usable = instanceSize.scaled(1 - headroomShare);
  }

  /** Dollars per hour for these allocations and this database. */
  public double perHour(List<Footprint> allocations, Database database) {
    return compute(allocations) + database(database);
  }

  /** The instances' share of {@link #perHour}. */
  public double compute(List<Footprint> allocations) {
    double share = 0;
    for (Footprint f : allocations) {
      share +=
          Math.max(
              (double) f.cpuMhz() / Math.max(1, usable.cpuMhz()),
              (double) f.memoryMb() / Math.max(1, usable.memoryMb()));
    }
    return share * prices.instancePerHour();
  }

  /** The database's share of {@link #perHour}. */
  public double database(Database database) {
    double perGbHour = prices.storagePerGbMonth() / PriceTable.HOURS_PER_MONTH;
    if (database instanceof Database.Instance i) {
      return prices.rds(i.instanceClass()) + i.allocatedStorageGb() * perGbHour;
    }
    if (database instanceof Database.Snapshot s) {
      return prices.rds(s.instanceClass().orElse(""))
          + Database.Instance.DEFAULT_ALLOCATED_STORAGE_GB * perGbHour;
    }
    return prices.sharedServerPerHour() / prices.sharedServerApps()
        + prices.sharedDatabaseGb() * perGbHour;
  }
}
