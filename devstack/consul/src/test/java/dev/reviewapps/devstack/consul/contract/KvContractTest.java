package dev.reviewapps.devstack.consul.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** The KV endpoint as Consul's documentation describes it, through raw HTTP and consul-api. */
@ExtendWith(ConsulTargetExtension.class)
class KvContractTest {
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
  void missingKeyIs404WithEmptyBodyAndAnIndex() {
    HttpResponse<String> response = raw.get("/v1/kv/" + prefix + "absent");

    assertThat(response.statusCode()).isEqualTo(404);
    assertThat(response.body()).isEmpty();
    assertThat(RawConsul.index(response)).isPositive();
    assertThat(response.headers().firstValue("X-Consul-KnownLeader")).contains("true");
    assertThat(response.headers().firstValue("X-Consul-LastContact")).isPresent();
  }

  @Test
  void putAnswersTrueAndGetAnswersAnArrayWithTheBase64Value() {
    HttpResponse<String> put = raw.put("/v1/kv/" + prefix + "greeting?flags=42", "hello");
    HttpResponse<String> get = raw.get("/v1/kv/" + prefix + "greeting");

    assertThat(put.statusCode()).isEqualTo(200);
    assertThat(put.body()).isEqualTo("true");
    JsonNode entries = RawConsul.json(get);
    assertThat(entries.isArray()).isTrue();
    assertThat(entries).hasSize(1);
    JsonNode entry = entries.get(0);
    assertThat(entry.get("Key").asText()).isEqualTo(prefix + "greeting");
    assertThat(Base64.getDecoder().decode(entry.get("Value").asText()))
        .isEqualTo("hello".getBytes(StandardCharsets.UTF_8));
    assertThat(entry.get("Flags").asLong()).isEqualTo(42);
    assertThat(entry.get("LockIndex").asLong()).isZero();
    assertThat(entry.has("Session")).isFalse();
    assertThat(entry.get("CreateIndex").asLong()).isEqualTo(entry.get("ModifyIndex").asLong());
    assertThat(RawConsul.index(get)).isEqualTo(entry.get("ModifyIndex").asLong());
  }

  @Test
  void rawAnswersTheStoredBytes() {
    raw.put("/v1/kv/" + prefix + "route", "10.0.0.7:31000");

    HttpResponse<String> response = raw.get("/v1/kv/" + prefix + "route?raw");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("10.0.0.7:31000");
  }

  @Test
  void keysWithSeparatorListOneLevelAndAnEmptyPrefixIs404() {
    raw.put("/v1/kv/" + prefix + "a", "1");
    raw.put("/v1/kv/" + prefix + "b/c", "2");
    raw.put("/v1/kv/" + prefix + "b/d", "3");

    HttpResponse<String> listed = raw.get("/v1/kv/" + prefix + "?keys&separator=/");
    HttpResponse<String> all = raw.get("/v1/kv/" + prefix + "?keys");
    HttpResponse<String> none = raw.get("/v1/kv/" + prefix + "nothing/?keys");

    assertThat(RawConsul.json(listed))
        .extracting(JsonNode::asText)
        .containsExactly(prefix + "a", prefix + "b/");
    assertThat(RawConsul.json(all))
        .extracting(JsonNode::asText)
        .containsExactly(prefix + "a", prefix + "b/c", prefix + "b/d");
    assertThat(none.statusCode()).isEqualTo(404);
  }

  @Test
  void recurseAnswersEveryEntryUnderThePrefixWithTheHighestModifyIndex() {
    raw.put("/v1/kv/" + prefix + "x", "1");
    raw.put("/v1/kv/" + prefix + "y/z", "2");

    Response<List<GetValue>> values = client.getKVValues(prefix, token);

    assertThat(values.getValue())
        .extracting(GetValue::getKey)
        .containsExactly(prefix + "x", prefix + "y/z");
    long highest =
        values.getValue().stream().mapToLong(GetValue::getModifyIndex).max().orElseThrow();
    assertThat(values.getConsulIndex()).isEqualTo(highest);
  }

  @Test
  void casZeroCreatesOnlyWhenTheKeyIsAbsent() {
    PutParams createOnly = new PutParams();
    createOnly.setCas(0L);

    boolean first = client.setKVValue(prefix + "once", "a", token, createOnly).getValue();
    boolean second = client.setKVValue(prefix + "once", "b", token, createOnly).getValue();

    assertThat(first).isTrue();
    assertThat(second).isFalse();
    assertThat(client.getKVValue(prefix + "once", token).getValue().getDecodedValue())
        .isEqualTo("a");
  }

  @Test
  void casWithAStaleIndexIsRefusedAndLeavesTheValue() {
    client.setKVValue(prefix + "status", "v1", token, new PutParams());
    long seen = client.getKVValue(prefix + "status", token).getValue().getModifyIndex();
    client.setKVValue(prefix + "status", "v2", token, new PutParams());
    PutParams stale = new PutParams();
    stale.setCas(seen);

    boolean written = client.setKVValue(prefix + "status", "v3", token, stale).getValue();

    assertThat(written).isFalse();
    assertThat(client.getKVValue(prefix + "status", token).getValue().getDecodedValue())
        .isEqualTo("v2");
  }

  @Test
  void casWithANonZeroIndexOnAMissingKeyIsRefused() {
    HttpResponse<String> response = raw.put("/v1/kv/" + prefix + "absent?cas=7", "v");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("false");
    assertThat(raw.get("/v1/kv/" + prefix + "absent").statusCode()).isEqualTo(404);
  }

  @Test
  void casWithTheCurrentIndexWrites() {
    client.setKVValue(prefix + "status", "v1", token, new PutParams());
    PutParams current = new PutParams();
    current.setCas(client.getKVValue(prefix + "status", token).getValue().getModifyIndex());

    assertThat(client.setKVValue(prefix + "status", "v2", token, current).getValue()).isTrue();
    assertThat(client.getKVValue(prefix + "status", token).getValue().getDecodedValue())
        .isEqualTo("v2");
  }

  @Test
  void deleteWithCasDeletesOnlyAtTheCurrentIndex() {
    raw.put("/v1/kv/" + prefix + "k", "v");
    long index = RawConsul.index(raw.get("/v1/kv/" + prefix + "k"));

    HttpResponse<String> stale = raw.delete("/v1/kv/" + prefix + "k?cas=" + (index - 1));
    HttpResponse<String> current = raw.delete("/v1/kv/" + prefix + "k?cas=" + index);

    assertThat(stale.body()).isEqualTo("false");
    assertThat(current.body()).isEqualTo("true");
    assertThat(raw.get("/v1/kv/" + prefix + "k").statusCode()).isEqualTo(404);
  }

  @Test
  void recursiveDeleteRemovesOnlyThePrefix() {
    raw.put("/v1/kv/" + prefix + "gone/a", "1");
    raw.put("/v1/kv/" + prefix + "gone/b", "1");
    raw.put("/v1/kv/" + prefix + "kept", "1");

    HttpResponse<String> deleted = raw.delete("/v1/kv/" + prefix + "gone/?recurse");

    assertThat(deleted.body()).isEqualTo("true");
    assertThat(RawConsul.json(raw.get("/v1/kv/" + prefix + "?keys")))
        .extracting(JsonNode::asText)
        .containsExactly(prefix + "kept");
  }

  @Test
  void aValueOver512KibIsRefusedWith413() {
    String big = "x".repeat(512 * 1024 + 1);

    HttpResponse<String> response = raw.put("/v1/kv/" + prefix + "big", big);

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(raw.get("/v1/kv/" + prefix + "big").statusCode()).isEqualTo(404);
  }

  @Test
  void putWithoutAKeyIs400() {
    HttpResponse<String> response = raw.put("/v1/kv/", "v");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).isEqualTo("Missing key name");
  }

  @Test
  void conflictingFlagsAre400() {
    HttpResponse<String> response = raw.put("/v1/kv/" + prefix + "k?cas=0&acquire=x", "v");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("Conflicting flags");
  }

  @Test
  void writingTheSameValueAgainKeepsTheModifyIndex() {
    raw.put("/v1/kv/" + prefix + "same", "v");
    long before = RawConsul.index(raw.get("/v1/kv/" + prefix + "same"));

    raw.put("/v1/kv/" + prefix + "same", "v");

    assertThat(RawConsul.index(raw.get("/v1/kv/" + prefix + "same"))).isEqualTo(before);
  }

  @Test
  void consulApiBlockingGetWithIndexZeroAnswersAtOnce() {
    client.setKVValue(prefix + "k", "v", token, new PutParams());

    Response<GetValue> response = client.getKVValue(prefix + "k", token, new QueryParams(5, 0));

    assertThat(response.getValue().getDecodedValue()).isEqualTo("v");
    assertThat(response.isConsulKnownLeader()).isTrue();
  }
}
