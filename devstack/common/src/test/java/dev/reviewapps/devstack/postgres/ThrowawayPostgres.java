package dev.reviewapps.devstack.postgres;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A private PostgreSQL cluster for one test class: {@code initdb} into a temporary directory, a
 * server on a free loopback port with its socket in that directory, password authentication for
 * TCP, and everything stopped and deleted on {@link #close()}.
 *
 * <p>PostgreSQL refuses to run as root, so when the tests run as root the binaries run as the
 * {@code postgres} user through {@code runuser}. The binaries are found in {@code $PG_BIN}, else
 * the newest {@code /usr/lib/postgresql/<version>/bin}.
 *
 * <pre>{@code
 * try (ThrowawayPostgres pg = ThrowawayPostgres.start()) {
 *   DriverManager.getConnection(pg.adminJdbcUrl());
 * }
 * }</pre>
 */
public final class ThrowawayPostgres implements AutoCloseable {
  /** The superuser. */
  public static final String ADMIN = "postgres";

  private static final Duration COMMAND_LIMIT = Duration.ofSeconds(120);

  private final Path bin;
  private final Path dir;
  private final int port;
  private final String adminPassword;

  private ThrowawayPostgres(Path bin, Path dir, int port, String adminPassword) {
    this.bin = bin;
    this.dir = dir;
    this.port = port;
    this.adminPassword = adminPassword;
  }

  /** The directory of {@code initdb} and {@code pg_ctl}, if PostgreSQL is installed. */
  public static Optional<Path> binaries() {
    String fromEnv = System.getenv("PG_BIN");
    if (fromEnv != null && Files.isExecutable(Path.of(fromEnv, "initdb"))) {
      return Optional.of(Path.of(fromEnv));
    }
    Path root = Path.of("/usr/lib/postgresql");
    if (!Files.isDirectory(root)) {
      return Optional.empty();
    }
    try (Stream<Path> versions = Files.list(root)) {
      return versions
          .map(v -> v.resolve("bin"))
          .filter(b -> Files.isExecutable(b.resolve("initdb")))
          .max(Comparator.comparing(ThrowawayPostgres::majorVersion));
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  private static int majorVersion(Path bin) {
    try {
      return Integer.parseInt(bin.getParent().getFileName().toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /**
   * Creates and starts a cluster.
   *
   * @throws IllegalStateException when PostgreSQL is not installed or does not start
   */
  public static ThrowawayPostgres start() throws IOException, InterruptedException {
    Path bin =
        binaries()
            .orElseThrow(
                () -> new IllegalStateException("PostgreSQL is not installed (set PG_BIN)"));
    Path dir = Files.createTempDirectory("throwaway-postgres-");
    String password = UUID.randomUUID().toString();
    Path pwfile = dir.resolve("pwfile");
    Files.writeString(pwfile, password + "\n", StandardCharsets.UTF_8);
    if (runningAsRoot()) {
      run(List.of("chown", "-R", "postgres:postgres", dir.toString()));
    }
    int port = freePort();
    ThrowawayPostgres pg = new ThrowawayPostgres(bin, dir, port, password);
    try {
      pg.asOwner(
          bin.resolve("initdb").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-U",
          "postgres",
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "--pwfile=" + pwfile,
          "-E",
          "UTF8",
          "--locale=C",
          "--no-sync");
      pg.asOwner(
          bin.resolve("pg_ctl").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-l",
          dir.resolve("server.log").toString(),
          "-w",
          "-o",
          // Durability is not wanted in a throwaway cluster; speed is.
          "-p "
              + port
              + " -k "
              + dir
              + " -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
              + " -c full_page_writes=off",
          "start");
    } catch (IOException | RuntimeException e) {
      pg.close();
      throw e;
    }
    return pg;
  }

  public String host() {
    return "127.0.0.1";
  }

  public int port() {
    return port;
  }

  /** The superuser {@code postgres} with its password, on database {@code postgres}. */
  public String adminJdbcUrl() {
    return jdbcUrl("postgres", "postgres", adminPassword);
  }

  /** The superuser's password (random per cluster). */
  public String adminPassword() {
    return adminPassword;
  }

  /** A JDBC URL of one of its databases, without credentials. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://" + host() + ":" + port + "/" + database;
  }

  /** A connection to {@code database} as the superuser (the caller has the JDBC driver). */
  public Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), ADMIN, adminPassword);
  }

  /** A JDBC URL for any database and user of this cluster. */
  public String jdbcUrl(String database, String user, String password) {
    return "jdbc:postgresql://"
        + host()
        + ":"
        + port
        + "/"
        + database
        + "?user="
        + user
        + "&password="
        + password;
  }

  /** Stops the server at once and deletes the cluster. */
  @Override
  public void close() {
    try {
      if (Files.exists(dir.resolve("data/postmaster.pid"))) {
        asOwner(
            bin.resolve("pg_ctl").toString(),
            "-D",
            dir.resolve("data").toString(),
            "-m",
            "immediate",
            "-w",
            "stop");
      }
    } catch (IOException | InterruptedException | RuntimeException e) {
      // Deleting the directory below still leaves no cluster behind on the next boot.
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
    } finally {
      deleteRecursively(dir);
    }
  }

  private void asOwner(String... command) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (runningAsRoot()) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(List.of(command));
    run(full);
  }

  private static void run(List<String> command) throws IOException, InterruptedException {
    Process process =
        new ProcessBuilder(command)
            .redirectErrorStream(true)
            .redirectInput(ProcessBuilder.Redirect.PIPE)
            .start();
    process.getOutputStream().close();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(COMMAND_LIMIT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(command.get(0) + " did not finish in " + COMMAND_LIMIT);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(
          String.join(" ", command.subList(0, Math.min(command.size(), 5)))
              + " failed: "
              + new String(output, StandardCharsets.UTF_8));
    }
  }

  private static boolean runningAsRoot() {
    return "root".equals(System.getProperty("user.name"));
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static void deleteRecursively(Path root) {
    if (!Files.exists(root)) {
      return;
    }
    try (Stream<Path> paths = Files.walk(root)) {
      paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // A leftover temporary directory is harmless.
    }
  }
}
