package dev.reviewapps.client.view;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;

/** Reads {@link AppView}s from Consul: one by name, or every app under the prefix. */
public final class AppViews {
  private final KeyValueStore store;
  private final KeyLayout layout;
  private final ReviewAppKeys keys;

  public AppViews(KeyValueStore store, KeyLayout layout) {
    this.store = store;
    this.layout = layout;
    this.keys = new ReviewAppKeys(layout);
  }

  /** What Consul holds about {@code name}; {@link AppView#exists()} says whether it is an app. */
  public AppView one(String name) {
    return new AppView(
        name,
        store.get(layout.spec(name)),
        store.get(layout.status(name)),
        store.get(layout.inventory(name)),
        store.get(keys.activity(name)));
  }

  /** Every app with a spec, a status or an inventory, sorted by name. */
  public List<AppView> all() {
    Map<String, KvEntry> specs = byName(layout.specs());
    Map<String, KvEntry> statuses = byName(layout.statuses());
    Map<String, KvEntry> inventories = byName(layout.inventories());
    Map<String, KvEntry> activities = byName(keys.activities());
    TreeSet<String> names = new TreeSet<>(specs.keySet());
    names.addAll(statuses.keySet());
    names.addAll(inventories.keySet());
    return names.stream()
        .map(
            n ->
                new AppView(
                    n,
                    Optional.ofNullable(specs.get(n)),
                    Optional.ofNullable(statuses.get(n)),
                    Optional.ofNullable(inventories.get(n)),
                    Optional.ofNullable(activities.get(n))))
        .toList();
  }

  private Map<String, KvEntry> byName(String prefix) {
    Map<String, KvEntry> entries = new HashMap<>();
    for (KvEntry e : store.list(prefix, BlockingQuery.NONE).entries()) {
      String name = e.key().substring(prefix.length());
      // Only direct children are apps; anything deeper is not ours to list.
      if (!name.isEmpty() && !name.contains("/")) {
        entries.put(name, e);
      }
    }
    return entries;
  }
}
