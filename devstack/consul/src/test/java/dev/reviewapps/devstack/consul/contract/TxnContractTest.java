package dev.reviewapps.devstack.consul.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@code /v1/txn}: all or nothing, Consul's result and error shapes. */
@ExtendWith(ConsulTargetExtension.class)
class TxnContractTest {
  private RawConsul raw;
  private String prefix;

  @BeforeEach
  void setUp(ConsulTarget target) {
    raw = new RawConsul(target);
    prefix = RawConsul.freshPrefix();
  }

  private static String b64(String text) {
    return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
  }

  private String kv(String verb, String key, String extra) {
    return "{\"KV\":{\"Verb\":\"" + verb + "\",\"Key\":\"" + prefix + key + "\"" + extra + "}}";
  }

  @Test
  void aFailingOperationRollsBackTheWholeTransaction() {
    raw.put("/v1/kv/" + prefix + "existing", "old");
    String body =
        "["
            + kv("set", "new", ",\"Value\":\"" + b64("n") + "\"")
            + ","
            + kv("set", "existing", ",\"Value\":\"" + b64("changed") + "\"")
            + ","
            + kv("cas", "existing", ",\"Index\":1,\"Value\":\"" + b64("x") + "\"")
            + "]";

    HttpResponse<String> response = raw.put("/v1/txn", body);

    assertThat(response.statusCode()).isEqualTo(409);
    JsonNode json = RawConsul.json(response);
    assertThat(json.get("Results").isNull()).isTrue();
    assertThat(json.get("Errors")).hasSize(1);
    assertThat(json.get("Errors").get(0).get("OpIndex").asInt()).isEqualTo(2);
    assertThat(json.get("Errors").get(0).get("What").asText()).contains("index is stale");
    assertThat(raw.get("/v1/kv/" + prefix + "new").statusCode()).isEqualTo(404);
    assertThat(raw.get("/v1/kv/" + prefix + "existing?raw").body()).isEqualTo("old");
  }

  @Test
  void aSuccessfulTransactionAnswersResultsInOrderWithValuesOnlyForGets() {
    raw.put("/v1/kv/" + prefix + "read", "r");
    String body =
        "["
            + kv("set", "written", ",\"Value\":\"" + b64("w") + "\",\"Flags\":7")
            + ","
            + kv("get", "read", "")
            + ","
            + kv("check-not-exists", "absent", "")
            + "]";

    HttpResponse<String> response = raw.put("/v1/txn", body);

    assertThat(response.statusCode()).isEqualTo(200);
    JsonNode json = RawConsul.json(response);
    assertThat(json.get("Errors").isNull()).isTrue();
    JsonNode results = json.get("Results");
    assertThat(results).hasSize(2);
    assertThat(results.get(0).get("KV").get("Key").asText()).isEqualTo(prefix + "written");
    assertThat(results.get(0).get("KV").get("Flags").asLong()).isEqualTo(7);
    assertThat(results.get(0).get("KV").get("Value").isNull()).isTrue();
    assertThat(results.get(1).get("KV").get("Value").asText()).isEqualTo(b64("r"));
    assertThat(raw.get("/v1/kv/" + prefix + "written?raw").body()).isEqualTo("w");
  }

  @Test
  void everyWriteOfATransactionSharesOneIndex() {
    String body =
        "["
            + kv("set", "a", ",\"Value\":\"" + b64("1") + "\"")
            + ","
            + kv("set", "b", ",\"Value\":\"" + b64("2") + "\"")
            + "]";

    JsonNode results = RawConsul.json(raw.put("/v1/txn", body)).get("Results");

    assertThat(results.get(0).get("KV").get("ModifyIndex").asLong())
        .isEqualTo(results.get(1).get("KV").get("ModifyIndex").asLong());
  }

  @Test
  void checkIndexAndDeleteCasGuardADelete() {
    raw.put("/v1/kv/" + prefix + "guarded", "v");
    long index = RawConsul.index(raw.get("/v1/kv/" + prefix + "guarded"));
    String body =
        "["
            + kv("check-index", "guarded", ",\"Index\":" + index)
            + ","
            + kv("delete-cas", "guarded", ",\"Index\":" + index)
            + "]";

    HttpResponse<String> response = raw.put("/v1/txn", body);

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(raw.get("/v1/kv/" + prefix + "guarded").statusCode()).isEqualTo(404);
  }

  @Test
  void checkNotExistsFailsForAnExistingKey() {
    raw.put("/v1/kv/" + prefix + "there", "v");

    HttpResponse<String> response =
        raw.put("/v1/txn", "[" + kv("check-not-exists", "there", "") + "]");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(RawConsul.json(response).get("Errors").get(0).get("What").asText())
        .contains("exists");
  }

  @Test
  void aLockVerbTakesTheLockAndCheckSessionSeesIt() {
    String session = raw.createSession("{\"Name\":\"txn\",\"LockDelay\":\"0s\"}");
    String lock =
        "["
            + kv(
                "lock",
                "leader",
                ",\"Session\":\"" + session + "\",\"Value\":\"" + b64("me") + "\"")
            + "]";
    String check = "[" + kv("check-session", "leader", ",\"Session\":\"" + session + "\"") + "]";

    HttpResponse<String> locked = raw.put("/v1/txn", lock);
    HttpResponse<String> checked = raw.put("/v1/txn", check);

    assertThat(locked.statusCode()).isEqualTo(200);
    assertThat(RawConsul.json(locked).get("Results").get(0).get("KV").get("LockIndex").asLong())
        .isEqualTo(1);
    assertThat(checked.statusCode()).isEqualTo(200);
    raw.put("/v1/session/destroy/" + session, "");
    assertThat(raw.put("/v1/txn", check).statusCode()).isEqualTo(409);
  }

  @Test
  void invalidBase64Is400() {
    HttpResponse<String> response =
        raw.put("/v1/txn", "[" + kv("set", "k", ",\"Value\":\"not base64!\"") + "]");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("Failed to parse body");
  }

  @Test
  void invalidJsonIs400() {
    HttpResponse<String> response = raw.put("/v1/txn", "[{\"KV\": ");

    assertThat(response.statusCode()).isEqualTo(400);
    assertThat(response.body()).startsWith("Failed to parse body");
  }

  @Test
  void tooManyOperationsAre413() {
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < 129; i++) {
      body.append(i == 0 ? "" : ",").append(kv("get", "k" + i, ""));
    }
    body.append("]");

    HttpResponse<String> response = raw.put("/v1/txn", body.toString());

    assertThat(response.statusCode()).isEqualTo(413);
    assertThat(response.body()).contains("too many operations");
  }

  @Test
  void aGetOfAMissingKeyFailsTheTransaction() {
    HttpResponse<String> response = raw.put("/v1/txn", "[" + kv("get", "missing", "") + "]");

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(RawConsul.json(response).get("Errors").get(0).get("What").asText())
        .contains("doesn't exist");
  }
}
