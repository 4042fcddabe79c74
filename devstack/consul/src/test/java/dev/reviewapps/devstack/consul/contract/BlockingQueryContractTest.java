package dev.reviewapps.devstack.consul.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Blocking queries: {@code ?index} and {@code ?wait} on single keys and prefixes. */
@ExtendWith(ConsulTargetExtension.class)
class BlockingQueryContractTest {
  private RawConsul raw;
  private ConsulClient client;
  private String token;
  private String prefix;

  @BeforeEach
  void setUp(ConsulTarget target) {
    raw = new RawConsul(target);
    client = raw.consulApi();
    token = target.token().orElse(null);
    prefix = RawConsul.freshPrefix();
  }

  @Test
  void aPrefixWatcherWakesOnAChangeUnderItsPrefixAndNotOnOneElsewhere() throws Exception {
    raw.put("/v1/kv/" + prefix + "watched/a", "1");
    long index = RawConsul.index(raw.get("/v1/kv/" + prefix + "watched/?recurse"));
    CompletableFuture<HttpResponse<String>> watcher =
        raw.getAsync("/v1/kv/" + prefix + "watched/?recurse&index=" + index + "&wait=30s");

    raw.put("/v1/kv/" + prefix + "elsewhere", "x");
    await()
        .during(Duration.ofMillis(700))
        .atMost(Duration.ofSeconds(3))
        .until(() -> !watcher.isDone());
    raw.put("/v1/kv/" + prefix + "watched/b", "2");

    HttpResponse<String> woken = watcher.get(10, TimeUnit.SECONDS);
    assertThat(woken.statusCode()).isEqualTo(200);
    assertThat(RawConsul.index(woken)).isGreaterThan(index);
    assertThat(RawConsul.json(woken))
        .extracting(e -> e.get("Key").asText())
        .containsExactly(prefix + "watched/a", prefix + "watched/b");
  }

  @Test
  void aTimeoutAnswersTheSameIndexAndTheUnchangedData() throws Exception {
    raw.put("/v1/kv/" + prefix + "still", "1");
    HttpResponse<String> first = raw.get("/v1/kv/" + prefix + "still");
    long index = RawConsul.index(first);

    HttpResponse<String> second = raw.get("/v1/kv/" + prefix + "still?index=" + index + "&wait=1s");

    assertThat(second.statusCode()).isEqualTo(200);
    assertThat(RawConsul.index(second)).isEqualTo(index);
    assertThat(second.body()).isEqualTo(first.body());
  }

  @Test
  void aDeleteUnderThePrefixWakesTheWatcherWithAHigherIndex() throws Exception {
    raw.put("/v1/kv/" + prefix + "routes/a", "1");
    raw.put("/v1/kv/" + prefix + "routes/b", "1");
    long index = RawConsul.index(raw.get("/v1/kv/" + prefix + "routes/?recurse"));
    CompletableFuture<HttpResponse<String>> watcher =
        raw.getAsync("/v1/kv/" + prefix + "routes/?recurse&index=" + index + "&wait=30s");

    raw.delete("/v1/kv/" + prefix + "routes/b");

    HttpResponse<String> woken = watcher.get(10, TimeUnit.SECONDS);
    assertThat(RawConsul.index(woken)).isGreaterThan(index);
    assertThat(RawConsul.json(woken))
        .extracting(e -> e.get("Key").asText())
        .containsExactly(prefix + "routes/a");
    // The prefix's index stays at the delete's tombstone, so the next watch does not spin.
    assertThat(RawConsul.index(raw.get("/v1/kv/" + prefix + "routes/?recurse")))
        .isEqualTo(RawConsul.index(woken));
  }

  @Test
  void aWatcherOfAMissingKeyWakesWhenTheKeyIsCreated() throws Exception {
    HttpResponse<String> missing = raw.get("/v1/kv/" + prefix + "later");
    CompletableFuture<HttpResponse<String>> watcher =
        raw.getAsync("/v1/kv/" + prefix + "later?index=" + RawConsul.index(missing) + "&wait=30s");

    raw.put("/v1/kv/" + prefix + "later", "now");

    HttpResponse<String> woken = watcher.get(10, TimeUnit.SECONDS);
    assertThat(woken.statusCode()).isEqualTo(200);
    JsonNode entry = RawConsul.json(woken).get(0);
    assertThat(entry.get("Key").asText()).isEqualTo(prefix + "later");
  }

  @Test
  void consulApiBlockingGetReturnsTheNewValueAfterAWrite() throws Exception {
    client.setKVValue(prefix + "spec", "v1", token, new PutParams());
    long index = client.getKVValue(prefix + "spec", token).getConsulIndex();
    CompletableFuture<Response<GetValue>> watch =
        CompletableFuture.supplyAsync(
            () -> client.getKVValue(prefix + "spec", token, new QueryParams(30, index)));
    await()
        .during(Duration.ofMillis(300))
        .atMost(Duration.ofSeconds(2))
        .until(() -> !watch.isDone());

    client.setKVValue(prefix + "spec", "v2", token, new PutParams());

    Response<GetValue> woken = watch.get(10, TimeUnit.SECONDS);
    assertThat(woken.getValue().getDecodedValue()).isEqualTo("v2");
    assertThat(woken.getConsulIndex()).isGreaterThan(index);
  }

  @Test
  void aBadWaitOrIndexIs400() throws Exception {
    assertThat(raw.get("/v1/kv/" + prefix + "k?index=1&wait=soon").statusCode()).isEqualTo(400);
    assertThat(raw.get("/v1/kv/" + prefix + "k?index=abc").statusCode()).isEqualTo(400);
  }
}
