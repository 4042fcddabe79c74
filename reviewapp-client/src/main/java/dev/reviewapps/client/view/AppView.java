package dev.reviewapps.client.view;

import dev.reviewapps.client.UnixSeconds;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;

/**
 * What Consul holds about one review app: its spec, status, inventory and activity keys, any of
 * which may be missing (a spec the controller has not seen yet; an app being torn down after its
 * spec was deleted).
 */
public record AppView(
    String name,
    Optional<KvEntry> spec,
    Optional<KvEntry> status,
    Optional<KvEntry> inventory,
    Optional<KvEntry> activity) {

  /** When the router last reported a request for the app (sleep on idle counts from it). */
  public Optional<Instant> lastRequest() {
    return activity.flatMap(e -> UnixSeconds.parse(e.value()));
  }

  /** The spec, when present and valid. */
  public Optional<ReviewApp> parsedSpec() {
    return spec.flatMap(e -> ReviewAppJson.parse(e.value()).toOptional());
  }

  /** The status, when present and readable. */
  public Optional<ReviewAppStatus> parsedStatus() {
    return status.flatMap(e -> ReviewAppJson.parseStatus(e.value()).toOptional());
  }

  /** The inventory, when present and readable. */
  public Optional<Inventory> parsedInventory() {
    return inventory.flatMap(
        e -> {
          try {
            return Optional.of(InventoryJson.read(e.value()));
          } catch (IllegalArgumentException unreadable) {
            return Optional.empty();
          }
        });
  }

  /**
   * The phase to show: the status's, except that an app whose spec is gone is shown as {@code
   * Deleting} whatever its last status says, because deletion is what it is waiting for. Without a
   * status yet it is {@code Pending}; an unreadable status is {@code Unknown}.
   */
  public String phase() {
    if (spec.isEmpty()) {
      return "Deleting";
    }
    if (status.isEmpty()) {
      return "Pending";
    }
    return parsedStatus().map(s -> s.phase().name()).orElse("Unknown");
  }

  /**
   * The commit of the spec; for an app whose spec is gone, invalid or rejected by the controller,
   * the commit it was last running, from the inventory's last applied spec (none when the inventory
   * cannot be read, as with CI's token: a rejected commit is never shown as running).
   */
  public Optional<String> commit() {
    Optional<String> desired = parsedSpec().map(a -> a.spec().commit());
    if (desired.isPresent() && !rejected()) {
      return desired;
    }
    return parsedInventory()
        .flatMap(Inventory::appliedSpec)
        .map(json -> ReviewAppJson.parse(json.getBytes(StandardCharsets.UTF_8)))
        .flatMap(ParseResult::toOptional)
        .map(a -> a.spec().commit());
  }

  /**
   * Whether the controller refused the spec in Consul now ({@code Valid} False in a status written
   * for it): an invalid update, with which the app keeps running its last valid spec, although the
   * spec itself may parse (a change the controller cannot carry out, such as another database).
   */
  public boolean rejected() {
    return spec.isPresent()
        && parsedStatus().flatMap(s -> s.rejection(spec.get().modifyIndex())).isPresent();
  }

  /**
   * When the controller first recorded anything about the app: Consul keeps no write time, so the
   * oldest {@code lastTransitionTime} of the status conditions stands in for a creation time.
   */
  public Optional<Instant> since() {
    return parsedStatus()
        .flatMap(
            s ->
                s.conditions().stream().map(Condition::lastTransitionTime).min(Instant::compareTo));
  }

  public boolean exists() {
    return spec.isPresent() || status.isPresent() || inventory.isPresent();
  }
}
