package dev.reviewapps.consul;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ConsulApiStoreTest {
  @RegisterExtension static final RunningConsul consul = new RunningConsul();
  private static final KeyValueStore kv = consul.store();

  @Test
  void checkAndSetWritesOnlyOverTheIndexItRead() {
    kv.put("t/cas", "one".getBytes(UTF_8));
    KvEntry read = kv.get("t/cas").orElseThrow();

    assertThat(kv.compareAndSet("t/cas", "two".getBytes(UTF_8), read.modifyIndex())).isTrue();
    assertThat(kv.compareAndSet("t/cas", "three".getBytes(UTF_8), read.modifyIndex()))
        .as("stale index")
        .isFalse();
    assertThat(kv.get("t/cas").orElseThrow().text()).isEqualTo("two");
  }

  @Test
  void checkAndSetWithZeroOnlyCreates() {
    assertThat(kv.compareAndSet("t/new", "a".getBytes(UTF_8), 0)).isTrue();
    assertThat(kv.compareAndSet("t/new", "b".getBytes(UTF_8), 0)).isFalse();
    assertThat(kv.get("t/new").orElseThrow().text()).isEqualTo("a");
  }

  @Test
  void checkAndSetDeleteKeepsAKeyRewrittenSinceItWasRead() {
    kv.put("t/cas-delete", "one".getBytes(UTF_8));
    KvEntry read = kv.get("t/cas-delete").orElseThrow();
    kv.put("t/cas-delete", "two".getBytes(UTF_8));

    assertThat(kv.deleteIfUnchanged("t/cas-delete", read.modifyIndex())).as("stale").isFalse();
    assertThat(kv.get("t/cas-delete")).isPresent();
    KvEntry again = kv.get("t/cas-delete").orElseThrow();
    assertThat(again.createIndex()).as("created once").isEqualTo(read.createIndex()).isPositive();
    assertThat(kv.deleteIfUnchanged("t/cas-delete", again.modifyIndex())).isTrue();
    assertThat(kv.get("t/cas-delete")).isEmpty();
  }

  @Test
  void aMissingKeyIsEmptyNotAnError() {
    assertThat(kv.get("t/missing")).isEmpty();
    assertThat(kv.list("t/nothing-here/", BlockingQuery.NONE).entries()).isEmpty();
    assertThat(kv.keys("t/nothing-here/")).isEmpty();
    kv.delete("t/missing");
  }

  @Test
  void listingAndKeysSeeEveryEntryUnderAPrefix() {
    kv.put("t/list/a", "1".getBytes(UTF_8));
    kv.put("t/list/b", "2".getBytes(UTF_8));
    kv.put("t/listing-not-below", "3".getBytes(UTF_8));

    KvListing listing = kv.list("t/list/", BlockingQuery.NONE);
    assertThat(listing.entries()).extracting(KvEntry::key).containsExactly("t/list/a", "t/list/b");
    assertThat(listing.index()).isPositive();
    assertThat(kv.keys("t/list/")).containsExactly("t/list/a", "t/list/b");
  }

  @Test
  void aBlockingReadAnswersWhenTheKeyChanges() throws Exception {
    kv.put("t/watched", "before".getBytes(UTF_8));
    long index = kv.read("t/watched", BlockingQuery.NONE).index();

    CompletableFuture<KvListing> answer =
        CompletableFuture.supplyAsync(
            () -> kv.read("t/watched", new BlockingQuery(index, Duration.ofSeconds(30))));
    org.awaitility.Awaitility.await()
        .atMost(Duration.ofSeconds(5))
        .until(() -> consul.standIn().parkedQueries() > 0);
    assertThat(answer).isNotDone();
    kv.put("t/watched", "after".getBytes(UTF_8));

    KvListing changed = answer.get(5, TimeUnit.SECONDS);
    assertThat(changed.index()).isGreaterThan(index);
    assertThat(changed.entries().get(0).text()).isEqualTo("after");
  }

  @Test
  void aLockIsHeldByOneSessionAtATime() {
    Sessions sessions = consul.sessions();
    String first = sessions.create(new SessionRequest("a", Duration.ofSeconds(10), Duration.ZERO));
    String second = sessions.create(new SessionRequest("b", Duration.ofSeconds(10), Duration.ZERO));

    assertThat(kv.acquire("t/lock", "a".getBytes(UTF_8), first)).isTrue();
    assertThat(kv.acquire("t/lock", "b".getBytes(UTF_8), second)).isFalse();
    assertThat(kv.get("t/lock").orElseThrow().session()).contains(first);

    assertThat(kv.release("t/lock", second)).as("not the holder").isFalse();
    assertThat(kv.release("t/lock", first)).isTrue();
    assertThat(kv.acquire("t/lock", "b".getBytes(UTF_8), second)).isTrue();
    sessions.destroy(first);
    sessions.destroy(second);
  }

  @Test
  void renewingASessionConsulNoLongerKnowsSaysSo() {
    Sessions sessions = consul.sessions();
    String id = sessions.create(new SessionRequest("gone", Duration.ofSeconds(10), Duration.ZERO));
    assertThat(sessions.renew(id)).isTrue();

    sessions.destroy(id);

    assertThat(sessions.renew(id)).isFalse();
  }

  @Test
  void everyRequestIsCountedByEndpointAndMethod() {
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    KeyValueStore counted = new ConsulApiStore(consul.connect(registry));

    counted.put("t/counted", new byte[] {1});
    counted.get("t/counted");
    counted.get("t/counted");

    assertThat(
            registry
                .get("consul.client.requests")
                .tag("endpoint", "kv")
                .tag("method", "GET")
                .counter()
                .count())
        .isEqualTo(2);
    assertThat(registry.get("consul.client.requests").tag("method", "PUT").counter().count())
        .isEqualTo(1);
  }

  @Test
  void anUnreachableConsulFailsWithoutShowingTheToken() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    try (ConsulConnection c =
        new ConsulConnection(
            new ConsulEndpoint(
                URI.create("http://127.0.0.1:" + closedPort), Optional.of("s3cr3t-acl-token")),
            new SimpleMeterRegistry())) {
      KeyValueStore unreachable = new ConsulApiStore(c);

      assertThatThrownBy(() -> unreachable.get("t/any"))
          .isInstanceOf(ConsulUnavailable.class)
          .hasMessageContaining("read t/any")
          .hasMessageNotContaining("s3cr3t");
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"a?x", "a?recurse", "a#b", "a%2Fb", "a%", "a b", "a&cas=0", "a+b", "ü"})
  void everyKeyIsWrittenAndReadAsItselfNeverAsAnother(String odd) {
    String key = "t/odd/" + odd;
    kv.put("t/odd/a", "bystander".getBytes(UTF_8));

    kv.put(key, "odd".getBytes(UTF_8));

    assertThat(kv.get(key).orElseThrow().text()).isEqualTo("odd");
    assertThat(kv.get(key).orElseThrow().key()).isEqualTo(key);
    assertThat(kv.get("t/odd/a").orElseThrow().text()).isEqualTo("bystander");
    assertThat(kv.keys("t/odd/")).contains(key, "t/odd/a");
    KvEntry read = kv.get(key).orElseThrow();
    assertThat(kv.compareAndSet(key, "again".getBytes(UTF_8), read.modifyIndex())).isTrue();
    assertThat(kv.deleteIfUnchanged(key, kv.get(key).orElseThrow().modifyIndex())).isTrue();
    assertThat(kv.get(key)).isEmpty();
    assertThat(kv.get("t/odd/a").orElseThrow().text()).isEqualTo("bystander");
    kv.delete("t/odd/a");
  }

  @ParameterizedTest
  @ValueSource(strings = {"t/../secrets/x", "t/./x", "..", "t/..", "t/x\u0000y", "t/x\ny"})
  void aKeyThatAServerOrClientCouldRewriteIsRefusedBeforeAnyCall(String key) {
    assertThatThrownBy(() -> kv.put(key, "x".getBytes(UTF_8)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("key");
    assertThatThrownBy(() -> kv.get(key)).isInstanceOf(IllegalArgumentException.class);
  }
}
