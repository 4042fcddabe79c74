package dev.reviewapps.devstack.aws.postgres;

/**
 * What stands behind an RDS instance: nothing (the instance is only a record with a made-up
 * endpoint) or a database on a real PostgreSQL server. The RDS stand-in calls these from its
 * lifecycle thread, never while answering a request.
 */
public sealed interface DatabaseBacking permits DatabaseBacking.None, PostgresServer {

  /** Where clients reach a backed instance. */
  record Endpoint(String host, int port) {}

  /** The endpoint of a real server, or empty when instances are records only. */
  java.util.Optional<Endpoint> endpoint();

  /** Creates an empty database owned by a login role with this password. */
  void createDatabase(String database, String role, String password);

  /** Creates a database as a copy of another (snapshot, restore); the role owns the copy. */
  void copyDatabase(String source, String target, String role, String password);

  /** Sets a role's password (ModifyDBInstance with MasterUserPassword). */
  void changePassword(String role, String password);

  /** Drops a database, disconnecting its sessions, and the role if nothing else needs it. */
  void dropDatabase(String database, java.util.Optional<String> roleIfUnused);

  /** No real databases: every operation is a no-op. */
  record None() implements DatabaseBacking {
    @Override
    public java.util.Optional<Endpoint> endpoint() {
      return java.util.Optional.empty();
    }

    @Override
    public void createDatabase(String database, String role, String password) {}

    @Override
    public void copyDatabase(String source, String target, String role, String password) {}

    @Override
    public void changePassword(String role, String password) {}

    @Override
    public void dropDatabase(String database, java.util.Optional<String> roleIfUnused) {}
  }
}
