package dev.reviewapps.tls;

import java.util.Locale;
import java.util.Optional;
import javax.net.ssl.SSLException;

/**
 * Says in one sentence why a TLS connection failed, naming the setting that fixes it. The JDK's own
 * messages ("PKIX path building failed: …") leave a CI user guessing.
 */
public final class TlsFailure {
  private TlsFailure() {}

  /**
   * The explanation if {@code failure} (or a cause) is a TLS failure, else empty.
   *
   * @param tool {@code CONSUL} or {@code NOMAD}: the prefix of the settings named
   */
  public static Optional<String> explain(Throwable failure, String tool) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (!(t instanceof SSLException) && !(t instanceof java.security.cert.CertificateException)) {
        continue;
      }
      String m = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
      if (m.contains("pkix") || m.contains("certification path")) {
        return Optional.of(
            "TLS: the server's certificate is not signed by a CA we trust; "
                + tool
                + "_CACERT must name the CA that signed it");
      }
      if (m.contains("subject alternative name") || m.contains("no name matching")) {
        return Optional.of(
            "TLS: the server's certificate is not for the name we connected to; set "
                + tool
                + "_TLS_SERVER_NAME to the name it carries, or use that name in the address");
      }
      if (m.contains("plaintext") || m.contains("unrecognized ssl message")) {
        return Optional.of("TLS: the server does not speak TLS; use an http:// address");
      }
      if (m.contains("bad_certificate")
          || m.contains("certificate_required")
          || m.contains("handshake_failure")
          || m.contains("unknown_ca")) {
        return Optional.of(
            "TLS: the server refused our certificate (it requires a client certificate signed by"
                + " its CA: set "
                + tool
                + "_CLIENT_CERT and "
                + tool
                + "_CLIENT_KEY)");
      }
      return Optional.of("TLS: the handshake failed: " + t.getMessage());
    }
    return Optional.empty();
  }
}
