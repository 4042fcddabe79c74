package dev.reviewapps.controller.reviewapp.dashboard;

import java.util.Map;
import java.util.Optional;

/**
 * One app as the dashboard's list shows it, every value already a string for people. Nothing in it
 * is secret: it comes from the spec, the status and the router's activity key.
 *
 * @param link the app's URL when it is an http(s) URL (only those become links)
 * @param awake {@code awake}, {@code asleep} or {@code waking}
 */
public record AppRow(
    String name,
    String phase,
    Optional<String> link,
    String branch,
    String commit,
    String age,
    String ttlLeft,
    String awake,
    String lastRequest,
    String costPerHour,
    String costToDate,
    Map<String, String> labels) {

  /** The CSS class of the phase badge: the phase in lower case. */
  public String phaseClass() {
    return "phase-" + phase.toLowerCase(java.util.Locale.ROOT);
  }

  /** Whether the text filter finds the app: name, branch, commit, URL or a label. */
  boolean matches(String query) {
    if (query.isBlank()) {
      return true;
    }
    String q = query.strip().toLowerCase(java.util.Locale.ROOT);
    return name.contains(q)
        || branch.toLowerCase(java.util.Locale.ROOT).contains(q)
        || commit.startsWith(q)
        || link.map(l -> l.toLowerCase(java.util.Locale.ROOT).contains(q)).orElse(false)
        || labels.entrySet().stream()
            .anyMatch(
                e ->
                    (e.getKey() + "=" + e.getValue())
                        .toLowerCase(java.util.Locale.ROOT)
                        .contains(q));
  }
}
