package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Where a spec may take its data from: a spec author is only partly trusted, so the seeded database
 * a shared-mode app is cloned from ({@code database.template}) must be one the operator listed, and
 * a snapshot ({@code database.snapshotIdentifier}) must match one of the operator's patterns.
 * Anything else is an invalid spec naming what is allowed: without this, any database on the shared
 * server ({@code postgres}, another app's) or any snapshot of the account could be copied and
 * handed to the app's role.
 *
 * @param templates the databases that may be cloned (config {@code database.shared.templates})
 * @param snapshots patterns of snapshot identifiers or ARNs that may be restored, {@code *} for any
 *     run of characters (config {@code database.snapshots.allowed}; none by default)
 */
public record DataSources(Set<String> templates, List<String> snapshots) {

  /** Nothing may be cloned or restored. */
  public static final DataSources NONE = new DataSources(Set.of(), List.of());

  private static final Pattern IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  public DataSources {
    templates = Set.copyOf(new TreeSet<>(Objects.requireNonNull(templates, "templates")));
    snapshots = List.copyOf(Objects.requireNonNull(snapshots, "snapshots"));
  }

  /**
   * Why the configured lists cannot be used, or empty. A template must be a plain PostgreSQL name
   * and never one of review-apps' own app databases ({@code ra_…}), which belong to running apps.
   */
  public Optional<String> problem() {
    for (String t : templates) {
      if (!IDENTIFIER.matcher(t).matches()) {
        return Optional.of("template \"" + t + "\" is not a plain lower-case PostgreSQL name");
      }
      if (t.startsWith("ra_")) {
        return Optional.of("template \"" + t + "\" is an app's database (ra_…), never a source");
      }
      if (t.equals("postgres") || t.startsWith("template")) {
        return Optional.of("template \"" + t + "\" is a system database");
      }
    }
    return Optional.empty();
  }

  /** The violations of {@code spec}'s database section against these lists. */
  public List<Violation> check(ReviewAppSpec spec) {
    List<Violation> out = new ArrayList<>();
    Database database = spec.database();
    if (database instanceof Database.Shared shared && shared.template().isPresent()) {
      String template = shared.template().get();
      if (!templates.contains(template)) {
        out.add(
            new Violation(
                "$.spec.database.template",
                Rule.NOT_ALLOWED,
                "\""
                    + template
                    + "\" is not an allowed template; allowed: "
                    + (templates.isEmpty() ? "none configured" : String.join(", ", templates))
                    + " (database.shared.templates)"));
      }
    }
    if (database instanceof Database.Snapshot snapshot
        && snapshots.stream().noneMatch(p -> matches(p, snapshot.snapshotIdentifier()))) {
      out.add(
          new Violation(
              "$.spec.database.snapshotIdentifier",
              Rule.NOT_ALLOWED,
              "\""
                  + snapshot.snapshotIdentifier()
                  + "\" matches no allowed snapshot pattern; allowed: "
                  + (snapshots.isEmpty() ? "none configured" : String.join(", ", snapshots))
                  + " (database.snapshots.allowed)"));
    }
    return out;
  }

  /** {@code *} matches any run of characters; everything else matches itself. */
  static boolean matches(String pattern, String identifier) {
    List<String> parts = new ArrayList<>();
    for (String part : pattern.split("\\*", -1)) {
      parts.add(Pattern.quote(part));
    }
    return Pattern.matches(String.join(".*", parts), identifier);
  }
}
