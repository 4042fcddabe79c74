package dev.reviewapps.controller.reviewapp.inventory;

import java.util.Objects;

/**
 * One outside resource created for a review app, as recorded in its inventory. Teardown removes
 * them in the reverse of the order of {@link #teardownOrder()}; every identifier is enough on its
 * own to find and delete the resource.
 */
public sealed interface Resource {

  /** The JSON {@code kind}. */
  String kind();

  /** The identifier within its system. */
  String id();

  /**
   * The order in which teardown removes kinds: the route first (so no request reaches a dying app),
   * then jobs, then data.
   */
  int teardownOrder();

  /** The credentials kept for the app (their location, never the secret). */
  record Credentials(String id) implements Resource {
    public Credentials {
      Objects.requireNonNull(id);
    }

    public String kind() {
      return "credentials";
    }

    public int teardownOrder() {
      return 5;
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

    public int teardownOrder() {
      return 4;
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

    public int teardownOrder() {
      return 4;
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

    public int teardownOrder() {
      return 2;
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

    public int teardownOrder() {
      return 1;
    }
  }
}
