package dev.reviewapps.devstack.aws.postgres;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Optional;
import java.util.Properties;
import org.postgresql.Driver;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A PostgreSQL server reached with an administrator's JDBC URL (a superuser, or a role with
 * CREATEDB and CREATEROLE). Statements that carry passwords are never logged, and failures are
 * reported without the URL, which may hold the administrator's password.
 */
public final class PostgresServer implements DatabaseBacking {
  private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);
  private static final int COPY_ATTEMPTS = 5;

  private final String adminUrl;
  private final Endpoint endpoint;

  private PostgresServer(String adminUrl, Endpoint endpoint) {
    this.adminUrl = adminUrl;
    this.endpoint = endpoint;
  }

  /**
   * A server given by a JDBC URL such as {@code
   * jdbc:postgresql://127.0.0.1:5432/postgres?user=postgres&password=…}.
   *
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
   */
  public static PostgresServer at(String adminUrl) {
    Properties parsed = Driver.parseURL(adminUrl, new Properties());
    if (parsed == null) {
      throw new IllegalArgumentException("not a jdbc:postgresql: URL");
    }
    String host = parsed.getProperty("PGHOST", "localhost").split(",")[0];
    int port = Integer.parseInt(parsed.getProperty("PGPORT", "5432").split(",")[0]);
    return new PostgresServer(adminUrl, new Endpoint(host, port));
  }

  /** Checks that the server answers, so a bad URL fails at start-up rather than at first use. */
  public void check() {
    try (Connection c = connect();
        Statement s = c.createStatement()) {
      s.execute("SELECT 1");
    } catch (SQLException e) {
      throw new IllegalStateException(
          "cannot reach the PostgreSQL server at " + endpoint + ": " + e.getSQLState(), e);
    }
  }

  @Override
  public Optional<Endpoint> endpoint() {
    return Optional.of(endpoint);
  }

  @Override
  public void createDatabase(String database, String role, String password) {
    run(
        "create database " + database,
        c -> {
          ensureRole(c, role, password);
          execute(c, "CREATE DATABASE " + ident(database) + " OWNER " + ident(role));
          restrictConnect(c, database, role);
        });
  }

  @Override
  public void copyDatabase(String source, String target, String role, String password) {
    run(
        "copy database " + source + " to " + target,
        c -> {
          ensureRole(c, role, password);
          copyFromTemplate(c, source, target, role);
          restrictConnect(c, target, role);
        });
  }

  @Override
  public void changePassword(String role, String password) {
    run(
        "change the password of " + role,
        c -> execute(c, "ALTER ROLE " + ident(role) + " WITH LOGIN PASSWORD " + literal(password)));
  }

  @Override
  public void dropDatabase(String database, Optional<String> roleIfUnused) {
    run(
        "drop database " + database,
        c -> {
          execute(c, "DROP DATABASE IF EXISTS " + ident(database) + " WITH (FORCE)");
          if (roleIfUnused.isPresent()) {
            dropRoleIfPossible(c, roleIfUnused.get());
          }
        });
  }

  /**
   * A template must have no other sessions: like the brief I/O pause of a single-AZ RDS snapshot,
   * the source's sessions are ended, and the copy retried if a client reconnects in between.
   */
  private static void copyFromTemplate(Connection c, String source, String target, String role)
      throws SQLException {
    for (int attempt = 1; ; attempt++) {
      try (PreparedStatement terminate =
          c.prepareStatement(
              "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                  + " WHERE datname = ? AND pid <> pg_backend_pid()")) {
        terminate.setString(1, source);
        terminate.execute();
      }
      try {
        execute(
            c,
            "CREATE DATABASE "
                + ident(target)
                + " TEMPLATE "
                + ident(source)
                + " OWNER "
                + ident(role));
        return;
      } catch (SQLException e) {
        // 55006: object_in_use, the source database is being accessed by other users.
        if (!"55006".equals(e.getSQLState()) || attempt == COPY_ATTEMPTS) {
          throw e;
        }
      }
    }
  }

  private static void ensureRole(Connection c, String role, String password) throws SQLException {
    boolean exists;
    try (PreparedStatement q = c.prepareStatement("SELECT 1 FROM pg_roles WHERE rolname = ?")) {
      q.setString(1, role);
      try (ResultSet rs = q.executeQuery()) {
        exists = rs.next();
      }
    }
    String verb = exists ? "ALTER ROLE " : "CREATE ROLE ";
    execute(c, verb + ident(role) + " WITH LOGIN PASSWORD " + literal(password));
  }

  /** Other apps' roles must not reach this instance's database, as on a separate server. */
  private static void restrictConnect(Connection c, String database, String role)
      throws SQLException {
    execute(c, "REVOKE CONNECT, TEMPORARY ON DATABASE " + ident(database) + " FROM PUBLIC");
    execute(c, "GRANT ALL ON DATABASE " + ident(database) + " TO " + ident(role));
  }

  private static void dropRoleIfPossible(Connection c, String role) {
    try {
      execute(c, "DROP ROLE IF EXISTS " + ident(role));
    } catch (SQLException e) {
      // A snapshot copy still holds objects owned by the role; it stays until they are gone.
      log.debug("role {} kept: {}", role, e.getSQLState());
    }
  }

  private interface Work {
    void run(Connection c) throws SQLException;
  }

  private void run(String what, Work work) {
    try (Connection c = connect()) {
      work.run(c);
    } catch (SQLException e) {
      // The message may quote the statement, which may hold a password: report the state only.
      throw new IllegalStateException(
          "PostgreSQL failed to " + what + " (SQLSTATE " + e.getSQLState() + ")");
    }
  }

  private Connection connect() throws SQLException {
    return DriverManager.getConnection(adminUrl);
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  /** A quoted identifier. */
  static String ident(String name) {
    return '"' + name.replace("\"", "\"\"") + '"';
  }

  /** A quoted string literal (standard_conforming_strings is on since PostgreSQL 9.1). */
  static String literal(String value) {
    return '\'' + value.replace("'", "''") + '\'';
  }
}
