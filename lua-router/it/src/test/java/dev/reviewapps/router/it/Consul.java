package dev.reviewapps.router.it;

import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ServerTls;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;

/**
 * The devstack Consul stand-in, embedded, keeping its state in a data directory so that it can be
 * stopped (an outage) and started again on the same port with the same keys. Keys are written over
 * the HTTP API, as the controller writes them.
 */
final class Consul implements AutoCloseable {
  static final String ROUTES = "review-apps/routes/";
  static final String STATUS = "review-apps/phases/";
  private final ConsulConfig config;
  private final Optional<String> token;
  private final HttpClient http;
  private ConsulStandIn server;

  private Consul(ConsulConfig config, Optional<String> token, Optional<ClientTls> tls)
      throws IOException {
    this.config = config;
    this.token = token;
    this.http =
        tls.map(t -> HttpClient.newBuilder().sslContext(t.sslContext()).build())
            .orElseGet(HttpClient::newHttpClient);
    this.server = ConsulStandIn.start(config);
    // The stand-in (as of this writing) answers an empty store with X-Consul-Index 1 and gives
    // the first write index 1 too, so a watch parked on index 1 would miss that write; a real
    // Consul's first write lands far above 1 (Raft has written entries before). One write
    // outside the router's prefixes puts the stand-in where a real Consul starts.
    try {
      put("lua-router-it/started", "");
    } catch (IOException | InterruptedException | RuntimeException e) {
      // The caller never gets this object to close: stop the stand-in here.
      stop();
      if (e instanceof InterruptedException) {
        Thread.currentThread().interrupt();
      }
      throw e instanceof IOException io ? io : new IOException(e);
    }
  }

  static Consul start(Path dataDir) throws IOException {
    return new Consul(
        ConsulConfig.defaults().withPort(NginxRouter.freePort()).withDataDir(dataDir),
        Optional.empty(),
        Optional.empty());
  }

  /**
   * A stand-in serving HTTPS only with {@code server}; this helper writes over {@code client} (its
   * certificate must also carry 127.0.0.1).
   */
  static Consul startWithTls(Path dataDir, ServerTls server, ClientTls client) throws IOException {
    return new Consul(
        ConsulConfig.defaults()
            .withPort(NginxRouter.freePort())
            .withDataDir(dataDir)
            .withTls(Optional.of(server)),
        Optional.empty(),
        Optional.of(client));
  }

  /** A stand-in that enforces ACLs; this helper writes with {@code managementToken}. */
  static Consul startWithAcl(Path dataDir, String aclJson, String managementToken)
      throws IOException {
    return new Consul(
        ConsulConfig.defaults()
            .withPort(NginxRouter.freePort())
            .withDataDir(dataDir)
            .withAclRules(AclRules.parse(aclJson)),
        Optional.of(managementToken),
        Optional.empty());
  }

  int port() {
    return config.port();
  }

  /** Simulates an outage: the port stops answering. */
  void stop() {
    if (server != null) {
      server.close();
      server = null;
    }
  }

  /** Ends the outage on the same port, with the keys written before it. */
  void restart() throws IOException {
    stop();
    server = ConsulStandIn.start(config);
  }

  void putRoute(String host, String value) throws IOException, InterruptedException {
    put(ROUTES + host, value);
  }

  void put(String key, String value) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(uri(key)).PUT(HttpRequest.BodyPublishers.ofString(value)));
  }

  /**
   * The key's entry as Consul lists it ({@code CreateIndex}, {@code ModifyIndex}, {@code Value}).
   */
  Optional<com.fasterxml.jackson.databind.JsonNode> entry(String key)
      throws IOException, InterruptedException {
    HttpRequest.Builder request = HttpRequest.newBuilder(uri(key)).GET();
    token.ifPresent(t -> request.header("X-Consul-Token", t));
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() == 404) {
      return Optional.empty();
    }
    if (response.statusCode() != 200) {
      throw new IOException("Consul answered " + response.statusCode() + ": " + response.body());
    }
    return Optional.of(
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(response.body()).get(0));
  }

  /** The key's value as text, if it exists. */
  Optional<String> value(String key) throws IOException, InterruptedException {
    return entry(key)
        .map(e -> e.path("Value").isNull() ? "" : e.path("Value").asText())
        .map(
            v ->
                new String(
                    java.util.Base64.getDecoder().decode(v),
                    java.nio.charset.StandardCharsets.UTF_8));
  }

  void delete(String key) throws IOException, InterruptedException {
    send(HttpRequest.newBuilder(uri(key)).DELETE());
  }

  private URI uri(String key) {
    String scheme = config.tls().isPresent() ? "https" : "http";
    return URI.create(scheme + "://127.0.0.1:" + port() + "/v1/kv/" + key);
  }

  private void send(HttpRequest.Builder request) throws IOException, InterruptedException {
    token.ifPresent(t -> request.header("X-Consul-Token", t));
    HttpResponse<String> response =
        http.send(
            request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("Consul answered " + response.statusCode() + ": " + response.body());
    }
  }

  @Override
  public void close() {
    stop();
  }
}
