package dev.reviewapps.client;

import dev.reviewapps.consul.KeyLayout;
import java.util.Objects;

/**
 * The review-app keys beside the engine's ({@link KeyLayout}: specs, status, inventory, leader),
 * under the same prefix: {@code routes/<host>} and {@code phases/<name>} for the router, the
 * router's {@code activity/<name>}, the {@code wake/} and {@code sleep/} requests of sleeping on
 * idle, and the mass-deletion guard's {@code guard/held} (written by the controller) and {@code
 * guard/confirm} (written by an operator). The router's ACL policy in {@code deploy/} grants
 * exactly its part of these.
 */
public record ReviewAppKeys(KeyLayout layout) {

  public ReviewAppKeys {
    Objects.requireNonNull(layout, "layout");
  }

  public String routes() {
    return layout.key("routes/");
  }

  /**
   * Where the router reads phases: {@code <prefix>phases/<name>} holds just the phase as plain text
   * ({@code Ready}, {@code Deploying}, …), so that the router never reads {@code status/}.
   */
  public String phases() {
    return layout.key("phases/");
  }

  public String phase(String name) {
    return phases() + name;
  }

  /**
   * The router's report of each app's last request: {@code <prefix>activity/<name>} holds the time
   * in whole Unix seconds, written by the router in batches (never per request).
   */
  public String activities() {
    return layout.key("activity/");
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
    return layout.key("wake/");
  }

  public String wake(String name) {
    return wakes() + name;
  }

  /**
   * Requests to put an app to sleep now ({@code reviewctl sleep}): {@code <prefix>sleep/<name>}.
   */
  public String sleeps() {
    return layout.key("sleep/");
  }

  public String sleep(String name) {
    return sleeps() + name;
  }

  /**
   * What the mass-deletion guard holds back: JSON {@code {"reason": "...", "apps": [...], "since":
   * "<ISO-8601>"}}, written by the controller, absent when nothing is held.
   */
  public String guardHeld() {
    return layout.key("guard/held");
  }

  /**
   * An operator's confirmation: JSON {@code {"apps": [...], "at": "<ISO-8601>"}}; the apps listed
   * may be deleted although the guard holds them. The controller removes it once they are gone, and
   * takes off it an app whose spec is back while no deletion of it is held.
   */
  public String guardConfirm() {
    return layout.key("guard/confirm");
  }
}
