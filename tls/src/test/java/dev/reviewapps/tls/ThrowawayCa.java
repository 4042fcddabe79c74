package dev.reviewapps.tls;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A certificate authority made with openssl for one test run, and certificates it issues. Files are
 * PEM, as {@code consul tls ca create} and {@code consul tls cert create} write them.
 */
public final class ThrowawayCa {
  private final Path dir;
  private final Path certificate;
  private final Path key;
  private int serial;

  private ThrowawayCa(Path dir, Path certificate, Path key) {
    this.dir = dir;
    this.certificate = certificate;
    this.key = key;
  }

  /** A new CA under {@code dir} (created if needed), named {@code name}. */
  public static ThrowawayCa create(Path dir, String name) throws IOException {
    Files.createDirectories(dir);
    Path key = dir.resolve(name + "-ca.key");
    Path cert = dir.resolve(name + "-ca.pem");
    newKey(dir, key);
    openssl(
        dir,
        "req",
        "-x509",
        "-new",
        "-key",
        key.toString(),
        "-days",
        "2",
        "-subj",
        "/CN=" + name + " test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        "-out",
        cert.toString());
    return new ThrowawayCa(dir, cert, key);
  }

  /** The CA's certificate: what {@code CONSUL_CACERT} names. */
  public Path certificate() {
    return certificate;
  }

  /** A certificate and key. */
  public record Issued(Path certificate, Path key) {}

  /**
   * What a TLS test of a client needs: the cluster's CA and an unrelated one, a server certificate
   * for the loopback address, one only for {@code serverName}, and a client certificate.
   */
  public record Pki(
      ThrowawayCa ca, ThrowawayCa otherCa, Issued byAddress, Issued byName, Issued client) {

    public static Pki create(Path dir, String serverName) throws IOException {
      ThrowawayCa ca = ThrowawayCa.create(dir, "cluster");
      return new Pki(
          ca,
          ThrowawayCa.create(dir, "other"),
          ca.issue("localhost", "localhost", "IP:127.0.0.1"),
          ca.issue(serverName, serverName),
          ca.issue("client", "client.internal"));
    }

    /** A server's TLS with {@code certificate}; with {@code mutual}, client certificates too. */
    public ServerTls server(Issued certificate, boolean mutual) {
      return new ServerTls(
          certificate.certificate(),
          certificate.key(),
          mutual ? java.util.Optional.of(ca.certificate()) : java.util.Optional.empty());
    }

    /** A verifying client trusting {@code authority}. */
    public static ClientTls trusting(ThrowawayCa authority) {
      return new ClientTls(
          java.util.Optional.of(authority.certificate()),
          java.util.Optional.empty(),
          java.util.Optional.empty(),
          java.util.Optional.empty(),
          true);
    }

    /** A verifying client trusting the cluster's CA and presenting the client certificate. */
    public ClientTls mutualClient() {
      return new ClientTls(
          java.util.Optional.of(ca.certificate()),
          java.util.Optional.of(client.certificate()),
          java.util.Optional.of(client.key()),
          java.util.Optional.empty(),
          true);
    }
  }

  /**
   * Issues a certificate for {@code names}: DNS names, or IP addresses written {@code
   * IP:127.0.0.1}. Usable by servers and clients.
   */
  public Issued issue(String commonName, String... names) throws IOException {
    String base =
        dir.resolve(commonName.replaceAll("[^A-Za-z0-9.-]", "_") + "-" + ++serial).toString();
    Path leafKey = Path.of(base + ".key");
    Path csr = Path.of(base + ".csr");
    Path leaf = Path.of(base + ".pem");
    Path ext = Path.of(base + ".ext");
    List<String> sans = new ArrayList<>();
    for (String n : names) {
      sans.add(n.startsWith("IP:") ? n : "DNS:" + n);
    }
    Files.writeString(
        ext,
        (sans.isEmpty() ? "" : "subjectAltName=" + String.join(",", sans) + "\n")
            + "extendedKeyUsage=serverAuth,clientAuth\n",
        StandardCharsets.US_ASCII);
    newKey(dir, leafKey);
    openssl(
        dir,
        "req",
        "-new",
        "-key",
        leafKey.toString(),
        "-subj",
        "/CN=" + commonName,
        "-out",
        csr.toString());
    openssl(
        dir,
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        certificate.toString(),
        "-CAkey",
        key.toString(),
        "-set_serial",
        Integer.toString(serial + 1000),
        "-days",
        "2",
        "-extfile",
        ext.toString(),
        "-out",
        leaf.toString());
    return new Issued(leaf, leafKey);
  }

  /** A P-256 key, PKCS#8 as OpenSSL 3 writes it; {@code extra} options such as encryption. */
  public static void newKey(Path dir, Path key, String... extra) throws IOException {
    List<String> args =
        new ArrayList<>(
            List.of("genpkey", "-algorithm", "EC", "-pkeyopt", "ec_paramgen_curve:P-256"));
    args.addAll(List.of(extra));
    args.addAll(List.of("-out", key.toString()));
    openssl(dir, args.toArray(new String[0]));
  }

  /** Runs openssl in {@code dir}; fails with its output when it fails. */
  public static void openssl(Path dir, String... args) throws IOException {
    List<String> command = new ArrayList<>();
    command.add("openssl");
    command.addAll(List.of(args));
    Process p =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new IOException("openssl " + String.join(" ", args) + " failed: " + out);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted", e);
    }
  }
}
