package dev.reviewapps.controller.reviewapp.postgres;

import dev.reviewapps.controller.reviewapp.naming.ShortHash;
import java.nio.charset.StandardCharsets;
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

  /** PostgreSQL's longest identifier, in bytes (NAMEDATALEN - 1). */
  static final int MAX_IDENTIFIER = 63;

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
   * {@code ra_<name>} with {@code -} as {@code _}; a result longer than 63 bytes is cut and given a
   * hash suffix, so two long names stay apart.
   */
  public static String identifierFor(String appName) {
    String plain = "ra_" + appName.replace('-', '_');
    if (plain.getBytes(StandardCharsets.UTF_8).length <= MAX_IDENTIFIER) {
      return plain;
    }
    String suffix = "_" + ShortHash.of(appName, 8);
    return plain.substring(0, MAX_IDENTIFIER - suffix.length()) + suffix;
  }
}
