package dev.reviewapps.model.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * Where a review app's PostgreSQL database comes from; the JSON field {@code mode} selects the
 * variant. Credentials are never part of the spec: the controller generates them per app.
 */
public sealed interface Database {

  /** The JSON {@code mode} value of this variant. */
  String mode();

  /**
   * A database and a role of its own on the shared PostgreSQL server, optionally created with
   * {@code CREATE DATABASE ... TEMPLATE <template>} so that seeded data is there at once.
   */
  record Shared(Optional<String> template) implements Database {
    public static final String MODE = "shared";

    public Shared {
      Objects.requireNonNull(template, "template");
    }

    @Override
    public String mode() {
      return MODE;
    }
  }

  /**
   * A dedicated, empty RDS instance. {@code engineVersion} absent means the RDS default for
   * PostgreSQL.
   */
  record Instance(String instanceClass, int allocatedStorageGb, Optional<String> engineVersion)
      implements Database {
    public static final String MODE = "instance";

    /** Used when the spec does not say: the smallest gp2/gp3 volume RDS accepts. */
    public static final int DEFAULT_ALLOCATED_STORAGE_GB = 20;

    public Instance {
      Objects.requireNonNull(instanceClass, "instanceClass");
      Objects.requireNonNull(engineVersion, "engineVersion");
    }

    @Override
    public String mode() {
      return MODE;
    }
  }

  /**
   * A dedicated RDS instance restored from a snapshot. {@code instanceClass} absent means the
   * controller's configured default.
   */
  record Snapshot(String snapshotIdentifier, Optional<String> instanceClass) implements Database {
    public static final String MODE = "snapshot";

    public Snapshot {
      Objects.requireNonNull(snapshotIdentifier, "snapshotIdentifier");
      Objects.requireNonNull(instanceClass, "instanceClass");
    }

    @Override
    public String mode() {
      return MODE;
    }
  }
}
