package dev.reviewapps.controller.engine;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.RunningConsul;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class SpecWatchTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final AtomicInteger TESTS = new AtomicInteger();

  @RegisterExtension static final RunningConsul consul = new RunningConsul();
  private static final KeyValueStore kv = consul.store();
  // A prefix per test, so that one stand-in serves them all.
  private final String prefix = "t" + TESTS.incrementAndGet() + "/";
  private final String specs = prefix + "specs/";
  private final List<String> names = new CopyOnWriteArrayList<>();
  private SpecWatch watch;

  @AfterEach
  void stop() {
    if (watch != null) {
      watch.stop();
    }
  }

  private int parked() {
    return consul.standIn().parkedQueries();
  }

  private int parkedBefore;

  private void watch() {
    parkedBefore = parked();
    watch = new SpecWatch(kv, specs, Duration.ofSeconds(30), names::add);
    watch.start();
  }

  private void put(String name, String value) {
    kv.put(specs + name, value.getBytes(UTF_8));
  }

  @Test
  void theFirstAnswerHandsOnEveryNameOnce() {
    put("deploy-a", "{}");
    put("deploy-b", "{}");
    kv.put(specs + "nested/not-a-spec", new byte[0]);

    watch();

    await().atMost(BOUND).until(() -> names.size() == 2);
    assertThat(names).containsExactlyInAnyOrder("deploy-a", "deploy-b");
  }

  @Test
  void onlyTheChangedSpecIsHandedOn() {
    put("deploy-a", "{}");
    put("deploy-b", "{}");
    watch();
    await().atMost(BOUND).until(() -> names.size() == 2);
    await().atMost(BOUND).until(() -> parked() > parkedBefore);

    put("deploy-b", "{\"changed\":true}");

    await().atMost(BOUND).until(() -> names.size() == 3);
    assertThat(names.get(2)).isEqualTo("deploy-b");
  }

  @Test
  void aNewAndADeletedSpecAreHandedOn() {
    put("deploy-a", "{}");
    watch();
    await().atMost(BOUND).until(() -> names.size() == 1);
    await().atMost(BOUND).until(() -> parked() > parkedBefore);

    put("deploy-new", "{}");
    await().atMost(BOUND).until(() -> names.contains("deploy-new"));
    kv.delete(specs + "deploy-a");

    await().atMost(BOUND).until(() -> names.size() == 3);
    assertThat(names).containsExactly("deploy-a", "deploy-new", "deploy-a");
  }

  @Test
  void anIdempotentWriteHandsOnNothing() {
    put("deploy-a", "{}");
    watch();
    await().atMost(BOUND).until(() -> names.size() == 1);
    await().atMost(BOUND).until(() -> parked() > parkedBefore);

    // Another prefix moves the index Consul answers with, not this prefix's ModifyIndexes.
    kv.put(prefix + "status/deploy-a", "{}".getBytes(UTF_8));
    put("deploy-marker", "{}");

    await().atMost(BOUND).until(() -> names.contains("deploy-marker"));
    assertThat(names).containsExactly("deploy-a", "deploy-marker");
  }
}
