package dev.reviewapps.devstack.consul.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.kv.model.PutParams;
import java.net.http.HttpResponse;
import java.util.Optional;
import java.util.UUID;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * ACL tokens: read and write policies on a key prefix, the token in {@code X-Consul-Token} or
 * {@code ?token=}, default deny for the anonymous token. Skipped against a Consul without ACLs.
 */
@ExtendWith(ConsulTargetExtension.class)
class AclContractTest {
  private RawConsul raw;
  private String readToken;
  private String writeToken;
  private String key;

  @BeforeEach
  void setUp(ConsulTarget target) {
    assumeTrue(target.aclsEnabled(), "the target does not enforce ACLs");
    raw = new RawConsul(target);
    readToken = target.readToken().orElseThrow();
    writeToken = target.writeToken().orElseThrow();
    key = ConsulTarget.ACL_PREFIX + UUID.randomUUID();
  }

  @Test
  void aWriteTokenWritesAndAReadTokenReadsButCannotWrite() {
    HttpResponse<String> written = raw.send("PUT", "/v1/kv/" + key, "v", Optional.of(writeToken));
    HttpResponse<String> read =
        raw.send("GET", "/v1/kv/" + key + "?raw", null, Optional.of(readToken));
    HttpResponse<String> refused = raw.send("PUT", "/v1/kv/" + key, "w", Optional.of(readToken));

    assertThat(written.statusCode()).isEqualTo(200);
    assertThat(read.statusCode()).isEqualTo(200);
    assertThat(read.body()).isEqualTo("v");
    assertThat(refused.statusCode()).isEqualTo(403);
    assertThat(refused.body()).startsWith("Permission denied");
  }

  @Test
  void aTokenOutsideItsPrefixIsDenied() {
    HttpResponse<String> response =
        raw.send("PUT", "/v1/kv/elsewhere/" + UUID.randomUUID(), "v", Optional.of(writeToken));

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void theAnonymousTokenIsDeniedByDefault() {
    HttpResponse<String> response = raw.send("GET", "/v1/kv/" + key, null, Optional.empty());

    assertThat(response.statusCode()).isEqualTo(403);
  }

  @Test
  void anUnknownTokenIsRefusedAsNotFound() {
    HttpResponse<String> response =
        raw.send("GET", "/v1/kv/" + key, null, Optional.of(UUID.randomUUID().toString()));

    assertThat(response.statusCode()).isEqualTo(403);
    assertThat(response.body()).contains("ACL not found");
  }

  @Test
  void consulApiSendsTheTokenAsAQueryParameter() {
    ConsulClient client = raw.consulApi();

    assertThat(client.setKVValue(key, "v", writeToken, new PutParams()).getValue()).isTrue();
    assertThat(client.getKVValue(key, readToken).getValue().getDecodedValue()).isEqualTo("v");
    Assertions.assertThatThrownBy(() -> client.setKVValue(key, "w", readToken, new PutParams()))
        .isInstanceOf(OperationException.class)
        .satisfies(e -> assertThat(((OperationException) e).getStatusCode()).isEqualTo(403));
  }

  @Test
  void aDeniedTransactionOperationFailsTheTransaction() {
    String body = "[{\"KV\":{\"Verb\":\"set\",\"Key\":\"" + key + "\",\"Value\":\"dg==\"}}]";

    HttpResponse<String> response = raw.send("PUT", "/v1/txn", body, Optional.of(readToken));

    assertThat(response.statusCode()).isEqualTo(409);
    assertThat(raw.send("GET", "/v1/kv/" + key, null, Optional.of(readToken)).statusCode())
        .isEqualTo(404);
  }
}
