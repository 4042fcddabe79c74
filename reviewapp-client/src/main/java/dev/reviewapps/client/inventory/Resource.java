package dev.reviewapps.client.inventory;

import java.util.Objects;

/**
 * One outside resource created for a review app, as recorded in its inventory. The resource kind
 * that recorded it deletes it in the teardown; every identifier is enough on its own to find and
 * delete the resource.
 */
public sealed interface Resource {

  /** The JSON {@code kind}. */
  String kind();

  /** The identifier within its system. */
  String id();

  /** The credentials kept for the app (their location, never the secret). */
  record Credentials(String id) implements Resource {
    public Credentials {
      Objects.requireNonNull(id);
    }

    public String kind() {
      return "credentials";
    }
  }

  /**
   * A database and role on the shared server ({@code id} is the database, {@code role} its owner).
   */
  record SharedDatabase(String id, String role) implements Resource {
    public SharedDatabase {
      Objects.requireNonNull(id);
      Objects.requireNonNull(role);
    }

    public String kind() {
      return "shared-database";
    }
  }

  /** A dedicated RDS instance ({@code instance} and {@code snapshot} modes). */
  record RdsInstance(String id) implements Resource {
    public RdsInstance {
      Objects.requireNonNull(id);
    }

    public String kind() {
      return "rds-instance";
    }
  }

  /** A Nomad job (service or batch), stopped and purged on teardown. */
  record NomadJob(String id) implements Resource {
    public NomadJob {
      Objects.requireNonNull(id);
    }

    public String kind() {
      return "nomad-job";
    }
  }

  /** The route key {@code <prefix>/routes/<host>}; {@code id} is the host. */
  record Route(String id) implements Resource {
    public Route {
      Objects.requireNonNull(id);
    }

    public String kind() {
      return "route";
    }
  }

  /**
   * A resource of a kind added to a deployment (a DNS record, an ElastiCache cluster): recorded and
   * read back by its kind name, deleted by the resource kind that recorded it.
   */
  record Custom(String kind, String id) implements Resource {
    /** Lowercase letters, digits and dashes, as the built-in kind names are. */
    public static final java.util.regex.Pattern KIND =
        java.util.regex.Pattern.compile("[a-z][a-z0-9-]{0,39}");

    public Custom {
      Objects.requireNonNull(kind);
      Objects.requireNonNull(id);
      if (!KIND.matcher(kind).matches()) {
        throw new IllegalArgumentException("resource kind " + kind + " is not " + KIND.pattern());
      }
    }
  }
}
