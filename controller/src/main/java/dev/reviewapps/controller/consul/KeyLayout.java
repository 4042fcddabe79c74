package dev.reviewapps.controller.consul;

import java.util.Objects;

/**
 * Where things live in Consul KV under the configurable prefix (default {@code review-apps/}):
 * {@code specs/<name>}, {@code status/<name>}, {@code inventory/<name>}, {@code routes/<host>} and
 * the {@code leader} lock, and the mass-deletion guard's {@code guard/held} (written by the
 * controller) and {@code guard/confirm} (written by an operator).
 */
public record KeyLayout(String prefix) {

  public KeyLayout {
    Objects.requireNonNull(prefix, "prefix");
    if (prefix.isEmpty() || prefix.startsWith("/")) {
      throw new IllegalArgumentException("prefix must be non-empty and relative: " + prefix);
    }
    prefix = prefix.endsWith("/") ? prefix : prefix + "/";
  }

  public String specs() {
    return prefix + "specs/";
  }

  public String statuses() {
    return prefix + "status/";
  }

  public String inventories() {
    return prefix + "inventory/";
  }

  public String spec(String name) {
    return specs() + name;
  }

  public String status(String name) {
    return statuses() + name;
  }

  public String inventory(String name) {
    return inventories() + name;
  }

  public String leader() {
    return prefix + "leader";
  }

  public String routes() {
    return prefix + "routes/";
  }

  /**
   * Where the router reads phases: {@code <prefix>phases/<name>} holds just the phase as plain text
   * ({@code Ready}, {@code Deploying}, …), so that the router never reads {@code status/}.
   */
  public String phases() {
    return prefix + "phases/";
  }

  public String phase(String name) {
    return phases() + name;
  }

  /**
   * The router's report of each app's last request: {@code <prefix>activity/<name>} holds the time
   * in whole Unix seconds, written by the router in batches (never per request).
   */
  public String activities() {
    return prefix + "activity/";
  }

  public String activity(String name) {
    return activities() + name;
  }

  /**
   * Requests to wake a sleeping app: {@code <prefix>wake/<name>}, written by the router (on a
   * request for the app) or {@code reviewctl wake}, holding the time asked in Unix seconds. The
   * controller watches the prefix and deletes a request once it has acted on it.
   */
  public String wakes() {
    return prefix + "wake/";
  }

  public String wake(String name) {
    return wakes() + name;
  }

  /**
   * Requests to put an app to sleep now ({@code reviewctl sleep}): {@code <prefix>sleep/<name>}.
   */
  public String sleeps() {
    return prefix + "sleep/";
  }

  public String sleep(String name) {
    return sleeps() + name;
  }

  /**
   * What the mass-deletion guard holds back: JSON {@code {"reason": "...", "apps": [...], "since":
   * "<ISO-8601>"}}, written by the controller, absent when nothing is held.
   */
  public String guardHeld() {
    return prefix + "guard/held";
  }

  /**
   * An operator's confirmation: JSON {@code {"apps": [...], "at": "<ISO-8601>"}}; the apps listed
   * may be deleted although the guard holds them. The controller removes it once they are gone.
   */
  public String guardConfirm() {
    return prefix + "guard/confirm";
  }
}
