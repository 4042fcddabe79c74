package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.devstack.nomad.NomadConfig;
import dev.reviewapps.devstack.nomad.NomadStandIn;
import dev.reviewapps.tls.ThrowawayCa;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * reviewctl as a CI runner uses it across the internet: Consul and Nomad over TLS with their CLIs'
 * variables, certificates for a server name (not the address), and mutual TLS on Consul.
 */
class TlsTest {
  @TempDir static Path dir;
  static ThrowawayCa.Pki consulPki;
  static ThrowawayCa.Pki nomadPki;
  static ConsulStandIn consul;
  static NomadStandIn nomad;

  @BeforeAll
  static void start() throws Exception {
    consulPki = ThrowawayCa.Pki.create(dir.resolve("consul"), "server.dc1.consul");
    nomadPki = ThrowawayCa.Pki.create(dir.resolve("nomad"), "server.global.nomad");
    consul =
        ConsulStandIn.start(
            ConsulConfig.defaults()
                .withTls(Optional.of(consulPki.server(consulPki.byName(), true))));
    nomad =
        NomadStandIn.start(
            NomadConfig.defaults().toBuilder()
                .tls(Optional.of(nomadPki.server(nomadPki.byName(), false)))
                .build());
  }

  @AfterAll
  static void stop() {
    consul.close();
    nomad.close();
  }

  /** Everything right: CA, server names, client certificate. */
  private static Cli cli() {
    return new Cli(
        Map.of(
            "CONSUL_HTTP_ADDR", "127.0.0.1:" + consul.port(),
            "CONSUL_HTTP_SSL", "true",
            "CONSUL_CACERT", consulPki.ca().certificate().toString(),
            "CONSUL_TLS_SERVER_NAME", "server.dc1.consul",
            "CONSUL_CLIENT_CERT", consulPki.client().certificate().toString(),
            "CONSUL_CLIENT_KEY", consulPki.client().key().toString(),
            "NOMAD_ADDR", nomad.baseUrl(),
            "NOMAD_CACERT", nomadPki.ca().certificate().toString(),
            "NOMAD_TLS_SERVER_NAME", "server.global.nomad"));
  }

  @Test
  void appliesAndListsOverMutualTls() {
    Cli.Run apply = cli().input(Specs.spec("deploy-tls", "abcdef12")).run("apply", "-f", "-");
    assertThat(apply.exitCode()).as(apply.err()).isZero();
    assertThat(cli().run("get").out()).contains("deploy-tls");
  }

  @Test
  void aServerCertificateFromAnotherCaIsRefusedNamingTheVariable() {
    Cli.Run run =
        cli().with("CONSUL_CACERT", consulPki.otherCa().certificate().toString()).run("get");
    assertThat(run.exitCode()).isNotZero();
    assertThat(run.err()).contains("not signed by a CA we trust").contains("CONSUL_CACERT");

    Cli.Run logs =
        cli()
            .with("NOMAD_CACERT", nomadPki.otherCa().certificate().toString())
            .run("logs", "deploy-x", "web");
    assertThat(logs.exitCode()).isNotZero();
    assertThat(logs.err()).contains("NOMAD_CACERT");
  }

  @Test
  void aCertificateForAnotherNameIsRefusedWithoutTheServerName() {
    Cli.Run run = cli().with("CONSUL_TLS_SERVER_NAME", "").run("get");
    assertThat(run.err()).contains("CONSUL_TLS_SERVER_NAME");
    Cli.Run logs = cli().with("NOMAD_TLS_SERVER_NAME", "").run("logs", "deploy-x", "web");
    assertThat(logs.err()).contains("NOMAD_TLS_SERVER_NAME");
  }

  @Test
  void nomadOverTlsAnswers() {
    Cli.Run logs = cli().run("logs", "deploy-x", "web");
    assertThat(logs.err()).contains("Nomad has no web allocation for deploy-x");
  }

  @Test
  void withoutTheClientCertificateConsulRefusesAndUnreadableFilesAreNamed() {
    Cli.Run run = cli().with("CONSUL_CLIENT_CERT", "").with("CONSUL_CLIENT_KEY", "").run("get");
    assertThat(run.exitCode()).isNotZero();
    Cli.Run missing = cli().with("CONSUL_CACERT", dir.resolve("nope.pem").toString()).run("get");
    assertThat(missing.err())
        // reviewctl has no config file: the variable alone names the setting.
        .contains("reviewctl: CONSUL_CACERT: cannot read the certificate file");
  }
}
