package dev.reviewapps.router.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ServerTls;
import dev.reviewapps.tls.ThrowawayCa;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The router's watch over TLS to the devstack Consul, set up with the consul CLI's variables: a
 * good certificate verified by CONSUL_TLS_SERVER_NAME, a wrong CA and a wrong name (no route is
 * ever served from such a Consul, and the error log says why), and mutual TLS.
 */
class ConsulTlsTest {
  private static final String NAME = "server.dc1.consul";
  @TempDir static Path pkiDir;
  static ThrowawayCa ca;
  static ThrowawayCa otherCa;
  static ThrowawayCa.Issued server;
  static ThrowawayCa.Issued client;

  @TempDir Path dir;

  @BeforeAll
  static void pki() throws Exception {
    ca = ThrowawayCa.create(pkiDir, "cluster");
    otherCa = ThrowawayCa.create(pkiDir, "other");
    // 127.0.0.1 too, for the test's own writes; the router checks the name.
    server = ca.issue(NAME, NAME, "IP:127.0.0.1");
    client = ca.issue("router", "router.internal");
    // nginx's workers load lua_ssl_trusted_certificate after dropping root, as in production,
    // where CA certificates are world-readable; the client key is read by the master only.
    Files.setPosixFilePermissions(pkiDir, PosixFilePermissions.fromString("rwxr-xr-x"));
    for (ThrowawayCa authority : new ThrowawayCa[] {ca, otherCa}) {
      Files.setPosixFilePermissions(
          authority.certificate(), PosixFilePermissions.fromString("rw-r--r--"));
    }
  }

  private Consul consul(boolean mutual) throws Exception {
    ServerTls tls =
        new ServerTls(
            server.certificate(),
            server.key(),
            mutual ? Optional.of(ca.certificate()) : Optional.empty());
    ClientTls writer =
        new ClientTls(
            Optional.of(ca.certificate()),
            Optional.of(client.certificate()),
            Optional.of(client.key()),
            Optional.empty(),
            true);
    return Consul.startWithTls(dir.resolve("consul"), tls, writer);
  }

  private static Map<String, String> env(Consul consul, ThrowawayCa trusted, String name) {
    Map<String, String> env = new HashMap<>();
    env.put("CONSUL_HTTP_ADDR", "https://127.0.0.1:" + consul.port());
    env.put("CONSUL_CACERT", trusted.certificate().toString());
    env.put("CONSUL_TLS_SERVER_NAME", name);
    return env;
  }

  private static NginxRouter router(Path dir, Consul consul, Map<String, String> env)
      throws Exception {
    // The file names a port where nothing listens: the route can only come over CONSUL_HTTP_ADDR.
    return NginxRouter.start(dir, NginxRouter.freePort(), Map.of(), env);
  }

  @Test
  void routesComeOverTlsVerifiedByTheServerName() throws Exception {
    try (Consul consul = consul(false);
        Backend web = Backend.start("web");
        NginxRouter router = router(dir.resolve("nginx"), consul, env(consul, ca, NAME))) {
      String host = "deploy-tls." + NginxRouter.DOMAIN;
      consul.putRoute(host, web.address());
      await().atMost(Duration.ofSeconds(5)).until(() -> router.get(host).statusCode() == 200);
      assertThat(router.status().at("/watches/routes/errors").asInt()).isZero();
    }
  }

  @Test
  void aConsulWhoseCertificateIsFromAnotherCaIsNeverBelieved() throws Exception {
    try (Consul consul = consul(false);
        Backend web = Backend.start("web");
        NginxRouter router = router(dir.resolve("nginx"), consul, env(consul, otherCa, NAME))) {
      refused(consul, web, router);
    }
  }

  @Test
  void aConsulWhoseCertificateIsForAnotherNameIsNeverBelieved() throws Exception {
    try (Consul consul = consul(false);
        Backend web = Backend.start("web");
        NginxRouter router =
            router(dir.resolve("nginx"), consul, env(consul, ca, "client.dc1.consul"))) {
      refused(consul, web, router);
    }
  }

  @Test
  void mutualTlsSendsTheClientCertificate() throws Exception {
    try (Consul consul = consul(true);
        Backend web = Backend.start("web")) {
      Map<String, String> env = env(consul, ca, NAME);
      try (NginxRouter without = router(dir.resolve("without"), consul, env)) {
        refused(consul, web, without);
      }
      env.put("CONSUL_CLIENT_CERT", client.certificate().toString());
      env.put("CONSUL_CLIENT_KEY", client.key().toString());
      try (NginxRouter with = router(dir.resolve("with"), consul, env)) {
        String host = "deploy-mtls." + NginxRouter.DOMAIN;
        await().atMost(Duration.ofSeconds(5)).until(() -> with.get(host).statusCode() == 200);
      }
    }
  }

  /**
   * The watch fails (counted, logged with the settings to check) and the route is never served. The
   * reason itself (OpenSSL's, such as "unable to verify the first certificate" or "certificate host
   * mismatch") is logged when the handshake did not complete at once, see consul.lua.
   */
  private static void refused(Consul consul, Backend web, NginxRouter router) throws Exception {
    String host = "deploy-mtls." + NginxRouter.DOMAIN;
    consul.putRoute(host, web.address());
    await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> router.status().at("/watches/routes/errors").asInt() > 0);
    assertThat(router.errorLog()).contains("CONSUL_CACERT, CONSUL_TLS_SERVER_NAME");
    assertThat(router.get(host).statusCode()).isNotEqualTo(200);
  }
}
