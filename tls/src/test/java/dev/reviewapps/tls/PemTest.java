package dev.reviewapps.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir static Path dir;
  static ThrowawayCa ca;

  @BeforeAll
  static void ca() throws Exception {
    ca = ThrowawayCa.create(dir, "pem");
  }

  @Test
  void readsTheThreeKeyFormsTheToolsWrite() throws Exception {
    ThrowawayCa.openssl(
        dir,
        "genpkey",
        "-algorithm",
        "RSA",
        "-pkeyopt",
        "rsa_keygen_bits:2048",
        "-out",
        "rsa-pkcs8.key");
    ThrowawayCa.openssl(
        dir, "pkey", "-in", "rsa-pkcs8.key", "-traditional", "-out", "rsa-pkcs1.key");
    ThrowawayCa.openssl(dir, "ecparam", "-name", "prime256v1", "-genkey", "-out", "ec-sec1.key");

    assertThat(Files.readString(dir.resolve("rsa-pkcs1.key"))).contains("BEGIN RSA PRIVATE KEY");
    assertThat(Files.readString(dir.resolve("ec-sec1.key")))
        .contains("BEGIN EC PARAMETERS")
        .contains("BEGIN EC PRIVATE KEY");
    assertThat(Pem.privateKey(dir.resolve("rsa-pkcs8.key"))).isInstanceOf(RSAPrivateKey.class);
    assertThat(Pem.privateKey(dir.resolve("rsa-pkcs1.key"))).isInstanceOf(RSAPrivateKey.class);
    assertThat(Pem.privateKey(dir.resolve("ec-sec1.key"))).isInstanceOf(ECPrivateKey.class);
    assertThat(Pem.privateKey(ca.issue("leaf", "localhost").key()))
        .isInstanceOf(ECPrivateKey.class);
  }

  @Test
  void readsACertificateChain() throws Exception {
    ThrowawayCa.Issued leaf = ca.issue("chain", "localhost");
    Path chain = dir.resolve("chain.pem");
    Files.writeString(
        chain, Files.readString(leaf.certificate()) + Files.readString(ca.certificate()));
    assertThat(Pem.certificates(chain)).hasSize(2);
  }

  @Test
  void refusesWhatIsNoKeyOrCertificateNamingTheFile() throws Exception {
    Path junk = Files.writeString(dir.resolve("junk.pem"), "not pem at all");
    assertThatThrownBy(() -> Pem.privateKey(junk))
        .isInstanceOf(TlsSetupException.class)
        .hasMessage(junk + ": holds no PEM private key");
    assertThatThrownBy(() -> Pem.certificates(junk))
        .isInstanceOf(TlsSetupException.class)
        .hasMessageStartingWith(junk + ":");
    assertThatThrownBy(() -> Pem.privateKey(dir.resolve("missing.key")))
        .hasMessage("cannot read the private key file " + dir.resolve("missing.key"));
    ThrowawayCa.newKey(dir, dir.resolve("encrypted.key"), "-aes256", "-pass", "pass:x");
    assertThatThrownBy(() -> Pem.privateKey(dir.resolve("encrypted.key")))
        .hasMessageContaining("encrypted");
  }

  @Test
  void aKeyThatDoesNotFitItsCertificateIsRefused() throws Exception {
    ThrowawayCa.Issued one = ca.issue("one", "localhost");
    ThrowawayCa.Issued two = ca.issue("two", "localhost");
    assertThatThrownBy(
            () ->
                new ServerTls(one.certificate(), two.key(), java.util.Optional.empty())
                    .sslContext())
        .isInstanceOf(TlsSetupException.class);
  }
}
