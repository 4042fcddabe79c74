package dev.reviewapps.devstack.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class StandInServerTest {
  private final ParkedWaiters<String> waiters = new ParkedWaiters<>("test");
  private StandInServer server;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    Routes routes =
        new Routes()
            .get(
                "/v1/kv/{key...}",
                Handler.sync(
                    x ->
                        Reply.text(
                            200,
                            x.pathParam("key")
                                + "|"
                                + x.hasParam("recurse")
                                + "|"
                                + x.param("region").orElse("-"))))
            .get(
                "/wait/{topic}",
                x ->
                    waiters
                        .await(t -> t.equals(x.pathParam("topic")), Duration.ofSeconds(5))
                        .thenApply(woken -> Reply.text(200, "woken=" + woken)))
            .get("/fail", x -> CompletableFuture.failedFuture(new HttpError(400, "bad thing")));
    server = StandInServer.start("test", "127.0.0.1", 0, routes, r -> r.withHeader("X-Test", "1"));
  }

  @AfterEach
  void stop() {
    server.close();
    waiters.close();
  }

  private HttpResponse<String> get(String path) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(server.baseUrl() + path)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void greedyPathParameterKeepsSlashesAndFlagsAndFirstValueOfRepeatedParameters() throws Exception {
    HttpResponse<String> r = get("/v1/kv/a/b%2Fc?recurse&region=one&region=two");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.body()).isEqualTo("a/b/c|true|one");
    assertThat(r.headers().firstValue("X-Test")).contains("1");
  }

  @Test
  void unknownPathIs404AndWrongMethodIs405() throws Exception {
    assertThat(get("/nope").statusCode()).isEqualTo(404);
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/fail"))
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertThat(r.statusCode()).isEqualTo(405);
  }

  @Test
  void handlerErrorBecomesItsReply() throws Exception {
    HttpResponse<String> r = get("/fail");
    assertThat(r.statusCode()).isEqualTo(400);
    assertThat(r.body()).isEqualTo("bad thing");
  }

  @Test
  void parkedRequestIsWokenOnlyByItsOwnTopic() throws Exception {
    CompletableFuture<HttpResponse<String>> pending =
        http.sendAsync(
            HttpRequest.newBuilder(URI.create(server.baseUrl() + "/wait/a")).build(),
            HttpResponse.BodyHandlers.ofString());
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> waiters.parked() == 1);
    waiters.changed("b");
    assertThat(waiters.parked()).isEqualTo(1);
    waiters.changed("a");
    assertThat(pending.get().body()).isEqualTo("woken=true");
    assertThat(waiters.parked()).isZero();
  }
}
