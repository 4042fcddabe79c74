package dev.reviewapps.devstack.cli;

import dev.reviewapps.tls.ServerTls;
import java.nio.file.Path;
import java.util.Optional;

/**
 * The TLS flags every stand-in command takes, named like the agents' settings: {@code --tls-cert
 * FILE --tls-key FILE} (cert_file, key_file) serve HTTPS only, and {@code --tls-client-ca FILE}
 * (ca_file with verify_incoming) also requires client certificates signed by that CA.
 */
public final class TlsFlags {
  /** For the commands' usage lines. */
  public static final String USAGE = "[--tls-cert FILE --tls-key FILE [--tls-client-ca FILE]]";

  private Path cert;
  private Path key;
  private Path clientCa;

  /** Takes {@code option} if it is a TLS flag; false leaves it to the command. */
  public boolean take(String option, String value) {
    switch (option) {
      case "--tls-cert" -> cert = Path.of(value);
      case "--tls-key" -> key = Path.of(value);
      case "--tls-client-ca" -> clientCa = Path.of(value);
      default -> {
        return false;
      }
    }
    return true;
  }

  /** The server's TLS, or empty for plain HTTP. */
  public Optional<ServerTls> tls() {
    if (cert == null && key == null && clientCa == null) {
      return Optional.empty();
    }
    if (cert == null || key == null) {
      throw new IllegalArgumentException("--tls-cert and --tls-key go together");
    }
    ServerTls tls = new ServerTls(cert, key, Optional.ofNullable(clientCa));
    tls.sslContext(); // fail at the command line, naming the file, not at the first connection
    return Optional.of(tls);
  }
}
