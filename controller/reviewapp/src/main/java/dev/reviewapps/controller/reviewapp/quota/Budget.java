package dev.reviewapps.controller.reviewapp.quota;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.ToDoubleFunction;

/**
 * The most dollars per hour all review apps together may cost ({@code
 * reviewapp.quota.maxDollarsPerHour}; 0: no budget). It works like the app-count {@link Quota}: a
 * provisioned app counts with the rate in its inventory's cost ledger (what it costs now, asleep or
 * awake); an app with no inventory yet waits while its estimated cost (awake) would take the total
 * over the budget, and waiting apps start oldest spec first: a younger, cheaper app never passes an
 * older one that does not fit yet. Apps already provisioned are never affected.
 */
public final class Budget {
  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final double maxPerHour;
  private final ToDoubleFunction<ReviewAppSpec> estimate;

  /**
   * @param estimate what an app of this spec costs per hour once it runs
   */
  public Budget(
      KeyValueStore kv,
      KeyLayout layout,
      double maxPerHour,
      ToDoubleFunction<ReviewAppSpec> estimate) {
    this.kv = kv;
    this.layout = layout;
    this.maxPerHour = maxPerHour;
    this.estimate = estimate;
  }

  /** Why {@code app}, which has no inventory yet, must wait; empty when it may start. */
  public Optional<String> waitReason(String app) {
    if (maxPerHour <= 0) {
      return Optional.empty();
    }
    Map<String, Double> running = new HashMap<>();
    for (KvEntry e : kv.list(layout.inventories(), BlockingQuery.NONE).entries()) {
      String name = e.key().substring(layout.inventories().length());
      if (name.isEmpty() || name.contains("/")) {
        continue;
      }
      running.put(name, rate(e));
    }
    if (running.containsKey(app)) {
      return Optional.empty();
    }
    double total = running.values().stream().mapToDouble(Double::doubleValue).sum();
    List<KvEntry> queue =
        kv.list(layout.specs(), BlockingQuery.NONE).entries().stream()
            .filter(e -> !running.containsKey(e.key().substring(layout.specs().length())))
            .sorted(Comparator.comparingLong(KvEntry::createIndex).thenComparing(KvEntry::key))
            .toList();
    double admitted = total;
    int position = 0;
    for (KvEntry e : queue) {
      String name = e.key().substring(layout.specs().length());
      Optional<ReviewAppSpec> spec = ReviewAppJson.parse(e.value()).toOptional().map(a -> a.spec());
      if (spec.isEmpty()) {
        continue; // an invalid spec is never provisioned: it takes nothing
      }
      double cost = estimate.applyAsDouble(spec.get());
      if (admitted + cost > maxPerHour) {
        return Optional.of(
            String.format(
                Locale.ROOT,
                "the apps running cost $%.4f per hour of a budget of $%.4f; this one would add"
                    + " $%.4f and is number %d in the queue, oldest spec first",
                total,
                maxPerHour,
                name.equals(app) ? cost : estimate(queue, app),
                position(queue, app, position)));
      }
      if (name.equals(app)) {
        return Optional.empty();
      }
      admitted += cost;
      position++;
    }
    return Optional.empty();
  }

  private double estimate(List<KvEntry> queue, String app) {
    return queue.stream()
        .filter(e -> e.key().equals(layout.spec(app)))
        .findFirst()
        .flatMap(e -> ReviewAppJson.parse(e.value()).toOptional())
        .map(a -> estimate.applyAsDouble(a.spec()))
        .orElse(0.0);
  }

  private int position(List<KvEntry> queue, String app, int admittedBefore) {
    int index = 0;
    for (KvEntry e : queue) {
      if (e.key().equals(layout.spec(app))) {
        return index - admittedBefore + 1;
      }
      index++;
    }
    return 1;
  }

  /** A provisioned app's rate: its ledger's, else (not yet worked out) nothing. */
  private static double rate(KvEntry inventory) {
    try {
      Inventory i = InventoryJson.read(inventory.value());
      return i.cost().map(c -> c.perHour()).orElse(0.0);
    } catch (IllegalArgumentException unreadable) {
      return 0;
    }
  }
}
