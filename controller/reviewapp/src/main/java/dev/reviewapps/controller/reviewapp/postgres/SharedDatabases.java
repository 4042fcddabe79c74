package dev.reviewapps.controller.reviewapp.postgres;

import java.util.Map;

/**
 * Databases and roles of review apps on one shared PostgreSQL (or RDS) server. Every method is
 * idempotent, so a reconcile interrupted half-way simply runs again.
 */
public interface SharedDatabases {

  /**
   * Makes sure the role exists with this password and may log in, and that the database exists, is
   * owned by the role, is closed to other roles, and (when made from a template) that the copied
   * tables belong to the role too.
   *
   * @throws TemplateMissingException when the template database does not exist
   */
  void ensure(SharedDatabase database, char[] password);

  /** True when both the database and its role exist. */
  boolean exists(SharedDatabase database);

  /** Drops the database (closing its connections) and then the role; absent ones are fine. */
  void drop(SharedDatabase database);

  /**
   * Every database whose comment tags it {@code review-app=<name>} (set by {@link #ensure}):
   * database to app, for the orphan sweep.
   */
  Map<String, String> tagged();

  /** The spec names a template database the server does not have: retrying will not help. */
  final class TemplateMissingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TemplateMissingException(String template) {
      super("template database " + template + " does not exist on the shared server");
    }
  }
}
