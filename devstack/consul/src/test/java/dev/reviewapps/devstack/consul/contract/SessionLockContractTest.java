package dev.reviewapps.devstack.consul.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import com.ecwid.consul.v1.session.model.NewSession;
import com.ecwid.consul.v1.session.model.Session;
import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** Sessions and the locks they hold: contention, TTL expiry, lock-delay, delete behavior. */
@ExtendWith(ConsulTargetExtension.class)
class SessionLockContractTest {
  private ConsulTarget target;
  private RawConsul raw;
  private ConsulClient client;
  private String token;
  private String prefix;

  @BeforeEach
  void setUp(ConsulTarget target) {
    this.target = target;
    raw = new RawConsul(target);
    client = raw.consulApi();
    token = target.token().orElse(null);
    prefix = RawConsul.freshPrefix();
  }

  private String session(String name, long lockDelaySeconds) {
    NewSession session = new NewSession();
    session.setName(name);
    session.setLockDelay(lockDelaySeconds);
    return client.sessionCreate(session, QueryParams.DEFAULT, token).getValue();
  }

  private boolean acquire(String key, String value, String session) {
    PutParams params = new PutParams();
    params.setAcquireSession(session);
    return client.setKVValue(key, value, token, params).getValue();
  }

  @Test
  void twoSessionsContendForOneLockAndTheSecondWinsAfterARelease() {
    String leader = prefix + "leader";
    String a = session("host-a", 0);
    String b = session("host-b", 0);

    assertThat(acquire(leader, "host-a", a)).isTrue();
    assertThat(acquire(leader, "host-b", b)).isFalse();
    GetValue held = client.getKVValue(leader, token).getValue();
    assertThat(held.getSession()).isEqualTo(a);
    assertThat(held.getDecodedValue()).isEqualTo("host-a");

    PutParams release = new PutParams();
    release.setReleaseSession(a);
    assertThat(client.setKVValue(leader, "host-a", token, release).getValue()).isTrue();
    assertThat(acquire(leader, "host-b", b)).isTrue();

    GetValue now = client.getKVValue(leader, token).getValue();
    assertThat(now.getSession()).isEqualTo(b);
    assertThat(now.getLockIndex()).isEqualTo(2);
    client.sessionDestroy(a, QueryParams.DEFAULT, token);
    client.sessionDestroy(b, QueryParams.DEFAULT, token);
  }

  @Test
  void ttlExpiryReleasesTheLockAndRemovesTheSession() {
    String ttl = target.minSessionTtl().toSeconds() + "s";
    String id =
        raw.createSession("{\"Name\":\"expiring\",\"TTL\":\"" + ttl + "\",\"LockDelay\":\"0s\"}");
    String key = prefix + "lock";
    assertThat(acquire(key, "me", id)).isTrue();

    // Consul invalidates after up to twice the TTL; allow that plus slack.
    Duration bound = target.minSessionTtl().multipliedBy(2).plusSeconds(10);
    await()
        .atMost(bound)
        .pollInterval(Duration.ofMillis(200))
        .until(() -> client.getKVValue(key, token).getValue().getSession() == null);

    assertThat(client.getSessionInfo(id, QueryParams.DEFAULT, token).getValue()).isNull();
    assertThat(client.getKVValue(key, token).getValue().getDecodedValue()).isEqualTo("me");
  }

  @Test
  void renewingKeepsASessionAliveAndAnswersItsInfo() {
    String ttl = target.minSessionTtl().toSeconds() + "s";
    String id = raw.createSession("{\"Name\":\"renewed\",\"TTL\":\"" + ttl + "\"}");

    HttpResponse<String> renewed = raw.put("/v1/session/renew/" + id, "");

    assertThat(renewed.statusCode()).isEqualTo(200);
    JsonNode info = RawConsul.json(renewed).get(0);
    assertThat(info.get("ID").asText()).isEqualTo(id);
    assertThat(info.get("TTL").asText()).isEqualTo(ttl);
    assertThat(info.get("Behavior").asText()).isEqualTo("release");
    raw.put("/v1/session/destroy/" + id, "");
  }

  @Test
  void lockDelayRefusesANewHolderUntilItPasses() {
    String key = prefix + "delayed";
    String first = raw.createSession("{\"Name\":\"first\",\"LockDelay\":\"3s\"}");
    String second = session("second", 0);
    assertThat(acquire(key, "first", first)).isTrue();

    raw.put("/v1/session/destroy/" + first, "");

    assertThat(acquire(key, "second", second)).isFalse();
    await()
        .atMost(Duration.ofSeconds(10))
        .pollInterval(Duration.ofMillis(250))
        .until(() -> acquire(key, "second", second));
    client.sessionDestroy(second, QueryParams.DEFAULT, token);
  }

  @Test
  void aDeleteBehaviorSessionDeletesItsKeysWhenDestroyed() {
    String key = prefix + "ephemeral";
    String id = raw.createSession("{\"Behavior\":\"delete\",\"LockDelay\":\"0s\"}");
    assertThat(acquire(key, "v", id)).isTrue();

    raw.put("/v1/session/destroy/" + id, "");

    assertThat(raw.get("/v1/kv/" + key).statusCode()).isEqualTo(404);
  }

  @Test
  void acquiringWithAnUnknownSessionIsAnError() {
    HttpResponse<String> response =
        raw.put("/v1/kv/" + prefix + "k?acquire=00000000-0000-0000-0000-00000000dead", "v");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("invalid session");
  }

  @Test
  void renewingAnUnknownSessionIs404() {
    HttpResponse<String> response =
        raw.put("/v1/session/renew/00000000-0000-0000-0000-00000000dead", "");

    assertThat(response.statusCode()).isEqualTo(404);
  }

  @Test
  void destroyingAnUnknownSessionSucceeds() {
    HttpResponse<String> response =
        raw.put("/v1/session/destroy/00000000-0000-0000-0000-00000000dead", "");

    assertThat(response.statusCode()).isEqualTo(200);
    assertThat(response.body()).isEqualTo("true");
  }

  @Test
  void aTtlBelowTheMinimumIsRefused() {
    HttpResponse<String> response = raw.put("/v1/session/create", "{\"TTL\":\"1ms\"}");

    assertThat(response.statusCode()).isEqualTo(500);
    assertThat(response.body()).contains("Invalid Session TTL");
  }

  @Test
  void sessionListShowsACreatedSession() {
    String id = session("listed", 0);

    Session info = client.getSessionInfo(id, QueryParams.DEFAULT, token).getValue();

    assertThat(info.getName()).isEqualTo("listed");
    assertThat(client.getSessionList(QueryParams.DEFAULT, token).getValue())
        .extracting(Session::getId)
        .contains(id);
    client.sessionDestroy(id, QueryParams.DEFAULT, token);
  }
}
