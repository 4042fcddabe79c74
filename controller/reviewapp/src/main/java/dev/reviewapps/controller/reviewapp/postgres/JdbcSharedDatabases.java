package dev.reviewapps.controller.reviewapp.postgres;

import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import org.postgresql.PGConnection;

/**
 * {@link SharedDatabases} over the PostgreSQL JDBC driver, connected as an administrator (a role
 * with CREATEDB and CREATEROLE; on RDS the master user).
 *
 * <p>Identifiers reach SQL only through the driver's {@code escapeIdentifier}; names are looked up
 * with bind parameters. The password is hashed on the client ({@code alterUserPassword}, SCRAM), so
 * its plain text never travels to the server and cannot end up in its statement log.
 */
public final class JdbcSharedDatabases implements SharedDatabases {

  /** SQLSTATE duplicate_object: another controller created the role a moment earlier. */
  private static final String DUPLICATE_OBJECT = "42710";

  /** SQLSTATE duplicate_database. */
  private static final String DUPLICATE_DATABASE = "42P04";

  /** SQLSTATE invalid_catalog_name: the template does not exist. */
  private static final String INVALID_CATALOG_NAME = "3D000";

  /** The comment of an app's database: the tag the orphan sweep finds it by. */
  private static final String TAG_PREFIX = "review-app=";

  private final String adminUrl;
  private final Properties adminProperties;

  /**
   * @param adminUrl a JDBC URL of the server, e.g. {@code jdbc:postgresql://db:5432/postgres}
   * @param user the administrator
   * @param password the administrator's password
   */
  public JdbcSharedDatabases(String adminUrl, String user, String password) {
    this.adminUrl = adminUrl;
    this.adminProperties = new Properties();
    adminProperties.setProperty("user", user);
    adminProperties.setProperty("password", password);
    adminProperties.setProperty("connectTimeout", "10");
    adminProperties.setProperty("socketTimeout", "60");
    adminProperties.setProperty("ApplicationName", "review-apps-controller");
  }

  @Override
  public void ensure(SharedDatabase db, char[] password) {
    try (Connection admin = connect(adminUrl)) {
      PGConnection pg = admin.unwrap(PGConnection.class);
      String role = pg.escapeIdentifier(db.role());
      String database = pg.escapeIdentifier(db.database());
      String mark = pg.escapeLiteral(TAG_PREFIX + db.appName());
      Both found = checkOwned(admin, db);
      if (!found.role().exists()) {
        // Role and mark in one transaction: a crash never leaves an unmarked role of ours.
        admin.setAutoCommit(false);
        try {
          execute(admin, "CREATE ROLE " + role + " LOGIN");
          execute(admin, "COMMENT ON ROLE " + role + " IS '" + mark + "'");
          admin.commit();
        } catch (SQLException e) {
          admin.rollback();
          if (!DUPLICATE_OBJECT.equals(e.getSQLState())) {
            throw e;
          }
        } finally {
          admin.setAutoCommit(true);
        }
      } else if (found.role().mark().isEmpty()) {
        // A role of an earlier version (its database carries our mark): marked now.
        execute(admin, "COMMENT ON ROLE " + role + " IS '" + mark + "'");
      }
      execute(admin, "ALTER ROLE " + role + " LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE");
      if (!isSuperuser(admin)) {
        // On RDS the master user is no superuser: CREATE DATABASE ... OWNER and ALTER ... OWNER TO
        // need it to be a member of the app's role.
        execute(admin, "GRANT " + role + " TO CURRENT_USER");
      }
      pg.alterUserPassword(db.role(), password.clone(), "scram-sha-256");
      if (!exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", db.database())) {
        createDatabase(admin, pg, db, role, database);
      }
      execute(admin, "REVOKE ALL ON DATABASE " + database + " FROM PUBLIC");
      execute(admin, "GRANT ALL ON DATABASE " + database + " TO " + role);
      // escapeLiteral leaves the quotes out. A tag the orphan sweep can find, as review-app=<name>
      // on the other systems' resources.
      execute(
          admin,
          "COMMENT ON DATABASE "
              + database
              + " IS "
              + "'"
              + pg.escapeLiteral(TAG_PREFIX + db.appName())
              + "'");
    } catch (SQLException e) {
      throw failure("create database " + db.database(), e);
    }
    if (db.template().isPresent()) {
      handOverCopiedObjects(db);
    }
  }

  private void createDatabase(
      Connection admin, PGConnection pg, SharedDatabase db, String role, String database)
      throws SQLException {
    StringBuilder sql = new StringBuilder("CREATE DATABASE ").append(database);
    sql.append(" OWNER ").append(role);
    if (db.template().isPresent()) {
      sql.append(" TEMPLATE ").append(pg.escapeIdentifier(db.template().get()));
    }
    try {
      executeUnlessState(admin, sql.toString(), DUPLICATE_DATABASE);
    } catch (SQLException e) {
      if (INVALID_CATALOG_NAME.equals(e.getSQLState()) && db.template().isPresent()) {
        throw new TemplateMissingException(db.template().get());
      }
      throw e;
    }
  }

  /**
   * Objects copied from a template keep the template's owner, so migrations run as the app's role
   * could not alter them. Each schema, table, sequence and view not already the role's is given to
   * it.
   */
  private void handOverCopiedObjects(SharedDatabase db) {
    try (Connection inApp = connect(withDatabase(adminUrl, db.database()))) {
      PGConnection pg = inApp.unwrap(PGConnection.class);
      String role = pg.escapeIdentifier(db.role());
      List<String> statements = new ArrayList<>();
      try (PreparedStatement schemas =
          inApp.prepareStatement(
              "SELECT n.nspname FROM pg_namespace n JOIN pg_roles r ON r.oid = n.nspowner"
                  + " WHERE n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
                  + " AND r.rolname NOT IN (?, 'pg_database_owner')")) {
        schemas.setString(1, db.role());
        try (ResultSet rs = schemas.executeQuery()) {
          while (rs.next()) {
            statements.add(
                "ALTER SCHEMA " + pg.escapeIdentifier(rs.getString(1)) + " OWNER TO " + role);
          }
        }
      }
      // Sequences owned by a table column follow their table, so only free-standing ones are
      // listed (ALTER on an owned sequence alone is refused).
      try (PreparedStatement relations =
          inApp.prepareStatement(
              "SELECT n.nspname, c.relname, c.relkind FROM pg_class c"
                  + " JOIN pg_namespace n ON n.oid = c.relnamespace"
                  + " JOIN pg_roles r ON r.oid = c.relowner"
                  + " WHERE c.relkind IN ('r', 'p', 'v', 'm', 'S', 'f')"
                  + " AND n.nspname NOT LIKE 'pg\\_%' AND n.nspname <> 'information_schema'"
                  + " AND r.rolname <> ?"
                  + " AND NOT (c.relkind = 'S' AND EXISTS (SELECT 1 FROM pg_depend d"
                  + "   WHERE d.objid = c.oid AND d.deptype IN ('a', 'i')))")) {
        relations.setString(1, db.role());
        try (ResultSet rs = relations.executeQuery()) {
          while (rs.next()) {
            String kind =
                switch (rs.getString(3)) {
                  case "v" -> "VIEW";
                  case "m" -> "MATERIALIZED VIEW";
                  case "S" -> "SEQUENCE";
                  case "f" -> "FOREIGN TABLE";
                  default -> "TABLE";
                };
            statements.add(
                "ALTER "
                    + kind
                    + " "
                    + pg.escapeIdentifier(rs.getString(1))
                    + "."
                    + pg.escapeIdentifier(rs.getString(2))
                    + " OWNER TO "
                    + role);
          }
        }
      }
      for (String sql : statements) {
        execute(inApp, sql);
      }
    } catch (SQLException e) {
      throw failure("hand over the objects of " + db.database(), e);
    }
  }

  /** Whether a role or database exists, its mark (comment) and, for a database, its owner. */
  private record Found(boolean exists, Optional<String> mark, Optional<String> owner) {}

  private record Both(Found role, Found database) {}

  private static Found find(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        if (!rs.next()) {
          return new Found(false, Optional.empty(), Optional.empty());
        }
        return new Found(
            true, Optional.ofNullable(rs.getString(1)), Optional.ofNullable(rs.getString(2)));
      }
    }
  }

  /**
   * The role and database of {@code db}, refused with {@link OwnershipConflict} when either exists
   * without this app's mark: another app's, or made by someone else. An unmarked database owned by
   * this app's marked role is ours (CREATE DATABASE cannot share a transaction with its COMMENT, so
   * a crash can leave it unmarked); an unmarked role is ours when the database carries our mark
   * (roles of earlier versions were not marked).
   */
  private static Both checkOwned(Connection admin, SharedDatabase db) throws SQLException {
    String mark = TAG_PREFIX + db.appName();
    Found role =
        find(
            admin,
            "SELECT shobj_description(oid, 'pg_authid'), rolname FROM pg_roles WHERE rolname = ?",
            db.role());
    Found database =
        find(
            admin,
            "SELECT shobj_description(d.oid, 'pg_database'), pg_get_userbyid(d.datdba)"
                + " FROM pg_database d WHERE d.datname = ?",
            db.database());
    boolean roleMarked = role.mark().filter(mark::equals).isPresent();
    boolean databaseMarked = database.mark().filter(mark::equals).isPresent();
    boolean databaseOurs =
        databaseMarked
            || (database.mark().isEmpty()
                && roleMarked
                && database.owner().filter(db.role()::equals).isPresent());
    if (database.exists() && !databaseOurs) {
      throw new OwnershipConflict("PostgreSQL database " + db.database(), why(database, mark));
    }
    boolean roleOurs = roleMarked || (role.mark().isEmpty() && databaseMarked);
    if (role.exists() && !roleOurs) {
      throw new OwnershipConflict("PostgreSQL role " + db.role(), why(role, mark));
    }
    return new Both(role, database);
  }

  private static String why(Found found, String mark) {
    return found.mark().isEmpty()
        ? "exists without review-apps' mark (comment " + mark + ")"
        : "is marked for another app";
  }

  @Override
  public boolean exists(SharedDatabase db) {
    try (Connection admin = connect(adminUrl)) {
      return exists(admin, "SELECT 1 FROM pg_roles WHERE rolname = ?", db.role())
          && exists(admin, "SELECT 1 FROM pg_database WHERE datname = ?", db.database());
    } catch (SQLException e) {
      throw failure("look up database " + db.database(), e);
    }
  }

  @Override
  public void drop(SharedDatabase db) {
    try (Connection admin = connect(adminUrl)) {
      PGConnection pg = admin.unwrap(PGConnection.class);
      checkOwned(admin, db);
      // WITH (FORCE) ends the app's own connections first (PostgreSQL 13 and later).
      execute(
          admin, "DROP DATABASE IF EXISTS " + pg.escapeIdentifier(db.database()) + " WITH (FORCE)");
      execute(admin, "DROP ROLE IF EXISTS " + pg.escapeIdentifier(db.role()));
    } catch (SQLException e) {
      throw failure("drop database " + db.database(), e);
    }
  }

  @Override
  public Map<String, String> tagged() {
    Map<String, String> tagged = new TreeMap<>();
    try (Connection admin = connect(adminUrl);
        PreparedStatement s =
            admin.prepareStatement(
                "SELECT d.datname, shobj_description(d.oid, 'pg_database') FROM pg_database d"
                    + " WHERE shobj_description(d.oid, 'pg_database') LIKE ?")) {
      s.setString(1, TAG_PREFIX + "%");
      try (ResultSet rs = s.executeQuery()) {
        while (rs.next()) {
          tagged.put(rs.getString(1), rs.getString(2).substring(TAG_PREFIX.length()));
        }
      }
    } catch (SQLException e) {
      throw failure("list the review apps' databases", e);
    }
    return tagged;
  }

  private Connection connect(String url) throws SQLException {
    return DriverManager.getConnection(url, adminProperties);
  }

  /** The admin URL pointed at another database of the same server. */
  static String withDatabase(String jdbcUrl, String database) {
    int query = jdbcUrl.indexOf('?');
    String base = query < 0 ? jdbcUrl : jdbcUrl.substring(0, query);
    String params = query < 0 ? "" : jdbcUrl.substring(query);
    int slash = base.indexOf('/', "jdbc:postgresql://".length());
    String server = slash < 0 ? base : base.substring(0, slash);
    return server + "/" + database + params;
  }

  private static boolean isSuperuser(Connection c) throws SQLException {
    try (Statement s = c.createStatement();
        ResultSet rs =
            s.executeQuery("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")) {
      return rs.next() && rs.getBoolean(1);
    }
  }

  private static boolean exists(Connection c, String sql, String name) throws SQLException {
    try (PreparedStatement s = c.prepareStatement(sql)) {
      s.setString(1, name);
      try (ResultSet rs = s.executeQuery()) {
        return rs.next();
      }
    }
  }

  private static void execute(Connection c, String sql) throws SQLException {
    try (Statement s = c.createStatement()) {
      s.execute(sql);
    }
  }

  private static void executeUnlessState(Connection c, String sql, String tolerated)
      throws SQLException {
    try {
      execute(c, sql);
    } catch (SQLException e) {
      if (!tolerated.equals(e.getSQLState())) {
        throw e;
      }
    }
  }

  private static SharedDatabaseFailure failure(String what, SQLException e) {
    return new SharedDatabaseFailure(what, e);
  }

  /**
   * A database call failed. Only the SQLSTATE and the server's message are kept: no statement here
   * carries a password (it is hashed by the driver and sent separately).
   */
  public static final class SharedDatabaseFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SharedDatabaseFailure(String what, SQLException e) {
      super(
          "PostgreSQL: could not "
              + what
              + " (SQLSTATE "
              + e.getSQLState()
              + ": "
              + e.getMessage()
              + ")");
    }
  }
}
