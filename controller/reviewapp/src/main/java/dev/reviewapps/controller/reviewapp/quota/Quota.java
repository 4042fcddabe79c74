package dev.reviewapps.controller.reviewapp.quota;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.reviewapp.guard.AppKeys;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The maximum number of review apps at once ({@code reviewapp.quota.max}; 0: no maximum). An app
 * counts from its first inventory write until its inventory is gone (its teardown finished), so an
 * app being torn down still holds its slot. An app with no inventory waits while the slots are
 * taken; when slots free, the oldest specs (smallest CreateIndex of the spec key) take them first.
 * Apps already provisioned are never affected.
 *
 * <p>The order makes concurrent reconciles safe: every waiting app computes the same queue, so two
 * workers cannot both take the last slot.
 */
public final class Quota {
  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final int max;

  public Quota(KeyValueStore kv, KeyLayout layout, int max) {
    this.kv = kv;
    this.layout = layout;
    this.max = max;
  }

  /** The configured maximum; 0 when there is none. */
  public int max() {
    return max;
  }

  /** Why {@code app}, which has no inventory yet, must wait; empty when it may start. */
  public Optional<String> waitReason(String app) {
    if (max <= 0) {
      return Optional.empty();
    }
    Set<String> provisioned = AppKeys.under(kv, layout.inventories());
    if (provisioned.contains(app)) {
      return Optional.empty();
    }
    List<String> queue =
        kv.list(layout.specs(), BlockingQuery.NONE).entries().stream()
            .filter(e -> !provisioned.contains(e.key().substring(layout.specs().length())))
            .sorted(Comparator.comparingLong(KvEntry::createIndex).thenComparing(KvEntry::key))
            .map(e -> e.key().substring(layout.specs().length()))
            .toList();
    int free = Math.max(0, max - provisioned.size());
    int position = queue.indexOf(app);
    if (position >= 0 && position < free) {
      return Optional.empty();
    }
    return Optional.of(
        provisioned.size()
            + " of at most "
            + max
            + " review apps exist; this one is number "
            + (Math.max(position, 0) - free + 1)
            + " in the queue, oldest spec first");
  }
}
