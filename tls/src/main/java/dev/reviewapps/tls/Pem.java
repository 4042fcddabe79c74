package dev.reviewapps.tls;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads PEM files the way Consul and Nomad agents take them: certificates (one or a chain) and an
 * unencrypted private key in any of the three forms their tools write ({@code PRIVATE KEY} from
 * OpenSSL 3, {@code RSA PRIVATE KEY} from older OpenSSL, {@code EC PRIVATE KEY} from {@code consul
 * tls cert create}). The JDK reads only the first form; the other two are wrapped into it here, so
 * no BouncyCastle is needed. Errors name the file and what was expected, never key material.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile(
          "-----BEGIN ([A-Z0-9 ]+)-----\\s*([A-Za-z0-9+/=\\s]+?)\\s*-----END \\1-----",
          Pattern.DOTALL);
  private static final byte[] RSA_ALGORITHM = {
    0x30,
    0x0d,
    0x06,
    0x09,
    0x2a,
    (byte) 0x86,
    0x48,
    (byte) 0x86,
    (byte) 0xf7,
    0x0d,
    0x01,
    0x01,
    0x01,
    0x05,
    0x00
  };
  private static final byte[] EC_PUBLIC_KEY_OID = {
    0x06, 0x07, 0x2a, (byte) 0x86, 0x48, (byte) 0xce, 0x3d, 0x02, 0x01
  };

  private Pem() {}

  /** Every certificate in {@code file}, in order (a leaf and its chain, or a CA bundle). */
  public static List<X509Certificate> certificates(Path file) throws TlsSetupException {
    byte[] bytes = read(file, "certificate");
    try {
      List<X509Certificate> out = new ArrayList<>();
      for (var c :
          CertificateFactory.getInstance("X.509")
              .generateCertificates(new ByteArrayInputStream(bytes))) {
        out.add((X509Certificate) c);
      }
      if (out.isEmpty()) {
        throw new TlsSetupException(file + ": holds no PEM certificate");
      }
      return out;
    } catch (CertificateException e) {
      throw new TlsSetupException(file + ": not a PEM certificate: " + e.getMessage());
    }
  }

  /** The private key in {@code file}: RSA or EC, PKCS#8, PKCS#1 or SEC 1, not encrypted. */
  public static PrivateKey privateKey(Path file) throws TlsSetupException {
    String text = new String(read(file, "private key"), StandardCharsets.US_ASCII);
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String type = m.group(1);
      byte[] der;
      try {
        der = Base64.getMimeDecoder().decode(m.group(2));
      } catch (IllegalArgumentException e) {
        throw new TlsSetupException(file + ": the " + type + " block is not valid base64");
      }
      switch (type) {
        case "PRIVATE KEY":
          return pkcs8(file, der);
        case "RSA PRIVATE KEY":
          return pkcs8(file, privateKeyInfo(RSA_ALGORITHM, der));
        case "EC PRIVATE KEY":
          byte[] algorithm = sequence(EC_PUBLIC_KEY_OID, curveOf(file, der));
          return pkcs8(file, privateKeyInfo(algorithm, der));
        case "ENCRYPTED PRIVATE KEY":
          throw new TlsSetupException(
              file + ": the private key is encrypted; give it unencrypted, as Consul and Nomad do");
        default:
          // Certificates or EC PARAMETERS before the key: keep looking.
      }
    }
    throw new TlsSetupException(file + ": holds no PEM private key");
  }

  private static byte[] read(Path file, String what) throws TlsSetupException {
    try {
      return Files.readAllBytes(file);
    } catch (IOException e) {
      throw new TlsSetupException("cannot read the " + what + " file " + file);
    }
  }

  private static PrivateKey pkcs8(Path file, byte[] der) throws TlsSetupException {
    PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(der);
    for (String algorithm : List.of("RSA", "EC", "Ed25519")) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(spec);
      } catch (GeneralSecurityException e) {
        // Try the next algorithm; the key says which it is only inside the DER.
      }
    }
    throw new TlsSetupException(file + ": not an RSA, EC or Ed25519 private key");
  }

  /** SEC 1 {@code ECPrivateKey}: the named curve is the [0] field after version and key. */
  private static byte[] curveOf(Path file, byte[] sec1) throws TlsSetupException {
    try {
      Der outer = new Der(sec1, 0);
      int at = outer.contentStart();
      Der version = new Der(sec1, at);
      Der key = new Der(sec1, version.end());
      Der parameters = new Der(sec1, key.end());
      if (outer.tag() != 0x30 || parameters.tag() != (byte) 0xa0) {
        throw new TlsSetupException(file + ": the EC key does not name its curve");
      }
      Der oid = new Der(sec1, parameters.contentStart());
      return java.util.Arrays.copyOfRange(sec1, oid.start(), oid.end());
    } catch (ArrayIndexOutOfBoundsException e) {
      throw new TlsSetupException(file + ": the EC PRIVATE KEY block is not valid DER");
    }
  }

  private static byte[] privateKeyInfo(byte[] algorithm, byte[] key) {
    byte[] version = {0x02, 0x01, 0x00};
    return sequence(version, algorithm, tagged(0x04, key));
  }

  private static byte[] sequence(byte[]... parts) {
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      body.writeBytes(p);
    }
    return tagged(0x30, body.toByteArray());
  }

  private static byte[] tagged(int tag, byte[] content) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(tag);
    int n = content.length;
    if (n < 0x80) {
      out.write(n);
    } else {
      int bytes = n > 0xffff ? 3 : n > 0xff ? 2 : 1;
      out.write(0x80 | bytes);
      for (int i = bytes - 1; i >= 0; i--) {
        out.write((n >> (8 * i)) & 0xff);
      }
    }
    out.writeBytes(content);
    return out.toByteArray();
  }

  /** One DER element at {@code start}: its tag, where its content begins and where it ends. */
  private record Der(byte tag, int start, int contentStart, int end) {
    Der(byte[] der, int start) {
      this(der[start], start, contentStartOf(der, start), endOf(der, start));
    }

    private static int contentStartOf(byte[] der, int start) {
      int first = der[start + 1] & 0xff;
      return start + 2 + (first < 0x80 ? 0 : first & 0x7f);
    }

    private static int endOf(byte[] der, int start) {
      int first = der[start + 1] & 0xff;
      int length = first;
      if (first >= 0x80) {
        length = 0;
        for (int i = 0; i < (first & 0x7f); i++) {
          length = (length << 8) | (der[start + 2 + i] & 0xff);
        }
      }
      return contentStartOf(der, start) + length;
    }
  }
}
