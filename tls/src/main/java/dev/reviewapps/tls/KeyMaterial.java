package dev.reviewapps.tls;

import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;

/** Key and trust managers from PEM files, held in in-memory key stores only. */
final class KeyMaterial {
  private static final char[] IN_MEMORY = "in-memory".toCharArray();

  private KeyMaterial() {}

  /** Presents {@code certificate} (with its chain) and {@code key}. */
  static KeyManager[] identity(Path certificate, Path key) {
    List<X509Certificate> chain = Pem.certificates(certificate);
    PrivateKey privateKey = Pem.privateKey(key);
    if (!fits(privateKey, chain.get(0))) {
      throw new TlsSetupException(
          key + ": is not the private key of the certificate in " + certificate);
    }
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      store.setKeyEntry("identity", privateKey, IN_MEMORY, chain.toArray(new X509Certificate[0]));
      KeyManagerFactory factory =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      factory.init(store, IN_MEMORY);
      return factory.getKeyManagers();
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsSetupException(
          certificate + " and " + key + ": the key does not fit the certificate (" + e + ")");
    }
  }

  /** Whether {@code key} signs what the certificate's public key verifies. */
  private static boolean fits(PrivateKey key, X509Certificate certificate) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    try {
      byte[] probe = "review-apps key check".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(certificate.getPublicKey());
      verifier.update(probe);
      return verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      return false;
    }
  }

  /** Trusts exactly the certificates in {@code caFile}. */
  static TrustManager[] trusting(Path caFile) {
    List<X509Certificate> cas = Pem.certificates(caFile);
    try {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(null, null);
      for (int i = 0; i < cas.size(); i++) {
        store.setCertificateEntry("ca-" + i, cas.get(i));
      }
      return trustManagers(store);
    } catch (GeneralSecurityException | java.io.IOException e) {
      throw new TlsSetupException(caFile + ": cannot be used as a CA: " + e.getMessage());
    }
  }

  /** The JDK's default trust (its cacerts). */
  static TrustManager[] systemTrust() {
    try {
      return trustManagers(null);
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("the JDK's default trust store cannot be read: " + e);
    }
  }

  private static TrustManager[] trustManagers(KeyStore store) throws GeneralSecurityException {
    TrustManagerFactory factory =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    factory.init(store);
    return factory.getTrustManagers();
  }
}
