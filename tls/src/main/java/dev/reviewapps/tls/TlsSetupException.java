package dev.reviewapps.tls;

/**
 * A TLS setting that cannot be used: a missing or unreadable file, a file that holds no certificate
 * or key. The message names the file and the rule, never key material.
 */
public final class TlsSetupException extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public TlsSetupException(String message) {
    super(message);
  }
}
