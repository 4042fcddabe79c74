package dev.reviewapps.controller.reviewapp.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.UserPrincipal;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real PostgreSQL 15 server for one test class: initdb in a temporary directory, started with
 * pg_ctl on a free loopback port, password (SCRAM) authentication over TCP so that generated
 * passwords are really checked. PostgreSQL refuses to run as root, so as root it runs as the {@code
 * postgres} user.
 */
public final class ThrowawayPostgres implements AutoCloseable {

  /** The superuser's name and password. */
  public static final String ADMIN = "postgres";

  public static final String ADMIN_PASSWORD = "admin-pw";

  private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");

  private final Path dir;
  private final int port;

  private ThrowawayPostgres(Path dir, int port) {
    this.dir = dir;
    this.port = port;
  }

  /** Starts a fresh server; close it to stop it and remove its files. */
  public static ThrowawayPostgres start() {
    try {
      Path dir = Files.createTempDirectory("ra-pg-");
      Files.writeString(dir.resolve("pw"), ADMIN_PASSWORD + "\n");
      boolean root = "root".equals(System.getProperty("user.name"));
      if (root) {
        UserPrincipal postgres =
            dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
        Files.setOwner(dir, postgres);
        Files.setOwner(dir.resolve("pw"), postgres);
      }
      int port = freePort();
      ThrowawayPostgres pg = new ThrowawayPostgres(dir, port);
      pg.run(
          root,
          BIN.resolve("initdb").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-U",
          ADMIN,
          "--pwfile=" + dir.resolve("pw"),
          "--auth-local=trust",
          "--auth-host=scram-sha-256",
          "-E",
          "UTF8");
      pg.run(
          root,
          BIN.resolve("pg_ctl").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-l",
          dir.resolve("postgres.log").toString(),
          "-w",
          "-t",
          "60",
          "-o",
          "-c listen_addresses=127.0.0.1 -c port="
              + port
              + " -c unix_socket_directories="
              + dir
              + " -c fsync=off -c max_connections=300",
          "start");
      return pg;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The port it listens on, on 127.0.0.1. */
  public int port() {
    return port;
  }

  /** A JDBC URL of one of its databases. */
  public String jdbcUrl(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database;
  }

  /** A connection as the superuser. */
  public Connection admin(String database) throws SQLException {
    return DriverManager.getConnection(jdbcUrl(database), ADMIN, ADMIN_PASSWORD);
  }

  @Override
  public void close() {
    boolean root = "root".equals(System.getProperty("user.name"));
    try {
      run(
          root,
          BIN.resolve("pg_ctl").toString(),
          "-D",
          dir.resolve("data").toString(),
          "-m",
          "immediate",
          "-w",
          "stop");
    } finally {
      deleteTree(dir);
    }
  }

  private void run(boolean root, String... command) {
    List<String> argv = new ArrayList<>();
    if (root) {
      argv.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    argv.addAll(List.of(command));
    try {
      Process p =
          new ProcessBuilder(argv)
              .redirectErrorStream(true)
              .redirectOutput(dir.resolve("commands.log").toFile())
              .start();
      if (!p.waitFor(90, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IllegalStateException("timed out: " + argv);
      }
      if (p.exitValue() != 0) {
        throw new IllegalStateException(
            "failed ("
                + p.exitValue()
                + "): "
                + argv
                + "\n"
                + Files.readString(dir.resolve("commands.log")));
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      // A leftover temporary directory is not worth failing a test over.
    }
  }
}
