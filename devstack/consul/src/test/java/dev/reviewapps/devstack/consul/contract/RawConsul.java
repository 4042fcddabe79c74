package dev.reviewapps.devstack.consul.contract;

import com.ecwid.consul.v1.ConsulClient;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Plain {@code java.net.http} access to a {@link ConsulTarget}, sending the target's token as
 * {@code X-Consul-Token} (the way the Lua router does) unless a test picks another.
 */
public final class RawConsul {
  static final ObjectMapper JSON = new ObjectMapper();

  private final ConsulTarget target;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  public RawConsul(ConsulTarget target) {
    this.target = target;
  }

  /** A consul-api client for the same target (its token goes as {@code ?token=} per call). */
  public ConsulClient consulApi() {
    return new ConsulClient(target.host(), target.port());
  }

  public HttpResponse<String> get(String pathAndQuery) {
    return send("GET", pathAndQuery, null, target.token());
  }

  public HttpResponse<String> put(String pathAndQuery, String body) {
    return send("PUT", pathAndQuery, body, target.token());
  }

  public HttpResponse<String> delete(String pathAndQuery) {
    return send("DELETE", pathAndQuery, null, target.token());
  }

  /** A request with an explicit token (or none), for the ACL tests. */
  public HttpResponse<String> send(
      String method, String pathAndQuery, String body, Optional<String> token) {
    try {
      return http.send(
          request(method, pathAndQuery, body, token), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  /** A GET answered later: how tests hold a blocking query open. */
  public CompletableFuture<HttpResponse<String>> getAsync(String pathAndQuery) {
    return http.sendAsync(
        request("GET", pathAndQuery, null, target.token()), HttpResponse.BodyHandlers.ofString());
  }

  private HttpRequest request(
      String method, String pathAndQuery, String body, Optional<String> token) {
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(target.baseUrl() + pathAndQuery))
            .timeout(Duration.ofMinutes(1))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    token.ifPresent(t -> builder.header("X-Consul-Token", t));
    return builder.build();
  }

  /** A key prefix no other test uses, so the suite can share a real Consul. */
  public static String freshPrefix() {
    return "contract/" + java.util.UUID.randomUUID() + "/";
  }

  /** The {@code X-Consul-Index} of a response. */
  public static long index(HttpResponse<?> response) {
    return Long.parseLong(response.headers().firstValue("X-Consul-Index").orElseThrow());
  }

  public static JsonNode json(HttpResponse<String> response) {
    try {
      return JSON.readTree(response.body());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The session ID from a {@code /v1/session/create} answer. */
  public String createSession(String body) {
    HttpResponse<String> response = put("/v1/session/create", body);
    if (response.statusCode() != 200) {
      throw new IllegalStateException(
          "session create answered " + response.statusCode() + ": " + response.body());
    }
    return json(response).get("ID").asText();
  }
}
