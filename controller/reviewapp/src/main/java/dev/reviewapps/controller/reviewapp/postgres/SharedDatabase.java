package dev.reviewapps.controller.reviewapp.postgres;

import dev.reviewapps.model.naming.ResourceNames;
import java.util.Objects;
import java.util.Optional;

/**
 * One review app's database on the shared server: the database, the role that owns it (same name),
 * and optionally the seeded database it is copied from.
 *
 * <p>Names come from the app name only ({@code ra_} plus the name with hyphens as underscores),
 * never from the branch, and are quoted anyway when they reach SQL.
 */
public record SharedDatabase(
    String appName, String database, String role, Optional<String> template) {

  public SharedDatabase {
    Objects.requireNonNull(appName, "appName");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(role, "role");
    Objects.requireNonNull(template, "template");
  }

  /** The deterministic database and role of an app. */
  public static SharedDatabase forApp(String appName, Optional<String> template) {
    String name = identifierFor(appName);
    return new SharedDatabase(appName, name, name, template);
  }

  /**
   * {@code ra_<name>} with {@code -} as {@code _} ({@link ResourceNames#database}): never cut, so
   * one-to-one across all valid names.
   */
  public static String identifierFor(String appName) {
    return ResourceNames.of(appName).database();
  }
}
