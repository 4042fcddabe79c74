package dev.reviewapps.controller.reviewapp.cost;

import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * What the cost model charges, in US dollars. The defaults are AWS's public on-demand prices for
 * us-east-1 (Linux EC2, RDS for PostgreSQL single-AZ, gp2/gp3 storage) as listed at the time of
 * writing; set the {@code reviewapp.cost.*} keys to your own (reserved or savings-plan) prices.
 *
 * @param instancePerHour one instance of the Auto Scaling Group (the capacity instance size)
 * @param rdsPerHour RDS instance classes by name
 * @param rdsUnknownPerHour a class missing from {@code rdsPerHour}
 * @param storagePerGbMonth database storage
 * @param sharedServerPerHour the shared PostgreSQL server of {@code shared} mode
 * @param sharedServerApps how many apps that server is sized for: each pays that share of it
 * @param sharedDatabaseGb the storage counted for one app's database on the shared server
 */
public record PriceTable(
    double instancePerHour,
    Map<String, Double> rdsPerHour,
    double rdsUnknownPerHour,
    double storagePerGbMonth,
    double sharedServerPerHour,
    int sharedServerApps,
    double sharedDatabaseGb) {

  /** Hours in a month as AWS bills storage (730). */
  public static final double HOURS_PER_MONTH = 730;

  /** us-east-1 on-demand: m5.large, RDS PostgreSQL classes, gp2 storage, a db.t3.medium server. */
  public static final PriceTable US_EAST_1 =
      new PriceTable(
          0.096,
          Map.ofEntries(
              Map.entry("db.t3.micro", 0.018),
              Map.entry("db.t3.small", 0.036),
              Map.entry("db.t3.medium", 0.072),
              Map.entry("db.t3.large", 0.145),
              Map.entry("db.t4g.micro", 0.016),
              Map.entry("db.t4g.small", 0.032),
              Map.entry("db.t4g.medium", 0.065),
              Map.entry("db.t4g.large", 0.129),
              Map.entry("db.m5.large", 0.178),
              Map.entry("db.m6g.large", 0.159),
              Map.entry("db.m6i.large", 0.178),
              Map.entry("db.r6g.large", 0.225)),
          0.072,
          0.115,
          0.072,
          20,
          1);

  public PriceTable {
    rdsPerHour = Map.copyOf(new TreeMap<>(Objects.requireNonNull(rdsPerHour, "rdsPerHour")));
    for (double price :
        new double[] {
          instancePerHour,
          rdsUnknownPerHour,
          storagePerGbMonth,
          sharedServerPerHour,
          sharedDatabaseGb
        }) {
      if (!(price >= 0)) {
        throw new IllegalArgumentException("prices are numbers >= 0");
      }
    }
    if (rdsPerHour.values().stream().anyMatch(p -> !(p >= 0))) {
      throw new IllegalArgumentException("prices are numbers >= 0");
    }
    if (sharedServerApps < 1) {
      throw new IllegalArgumentException("sharedServerApps must be at least 1");
    }
  }

  /** The hourly price of an RDS instance class. */
  public double rds(String instanceClass) {
    return rdsPerHour.getOrDefault(instanceClass, rdsUnknownPerHour);
  }
}
