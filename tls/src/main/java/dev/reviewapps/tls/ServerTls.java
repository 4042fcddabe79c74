package dev.reviewapps.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Optional;
import javax.net.ssl.SSLContext;

/**
 * A server's TLS from PEM files, as a Consul or Nomad agent's {@code cert_file}, {@code key_file}
 * and {@code ca_file} with {@code verify_incoming}.
 *
 * @param certificate the server's certificate (and chain)
 * @param key its private key
 * @param clientCa when present, clients must present a certificate signed by this CA
 */
public record ServerTls(Path certificate, Path key, Optional<Path> clientCa) {

  /** The context the server's connector uses. */
  public SSLContext sslContext() {
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          KeyMaterial.identity(certificate, key),
          clientCa.map(KeyMaterial::trusting).orElse(null),
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("cannot set up TLS: " + e.getMessage());
    }
  }
}
