package dev.reviewapps.controller.reviewapp.status;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.RunningConsul;
import dev.reviewapps.model.status.Condition;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class StatusWriterTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-26T11:00:00Z");
  private static final AtomicInteger TESTS = new AtomicInteger();

  @RegisterExtension static final RunningConsul consul = new RunningConsul();
  private static final KeyValueStore kv = consul.store();
  private final KeyLayout layout = new KeyLayout("s" + TESTS.incrementAndGet());
  private StatusWriter writer;

  private StatusWriter writer() {
    if (writer == null) {
      writer = new StatusWriter(kv, layout);
    }
    return writer;
  }

  @Test
  void theFirstWriteCreatesTheStatusFromPending() {
    ReviewAppStatus written = writer().update("app", s -> s.withObservedIndex(42));

    assertThat(written.phase()).isEqualTo(Phase.Pending);
    assertThat(writer().read("app")).contains(written);
    assertThat(kv.get(layout.status("app")).orElseThrow().text()).contains("\"observedIndex\":42");
  }

  @Test
  void aConditionKeepsItsTransitionTimeUntilItsStatusFlips() {
    writer()
        .update(
            "app",
            s ->
                s.withCondition(
                    ConditionType.DatabaseReady, ConditionStatus.False, "Creating", "", T0));

    // A reconciler that builds the condition afresh with a new time and another reason.
    ReviewAppStatus same =
        writer()
            .update(
                "app",
                s ->
                    new ReviewAppStatus(
                        Phase.Provisioning,
                        s.observedIndex(),
                        Optional.empty(),
                        List.of(
                            new Condition(
                                ConditionType.DatabaseReady,
                                ConditionStatus.False,
                                "StillCreating",
                                "",
                                T1)),
                        Optional.empty(),
                        Optional.empty(),
                        Optional.empty(),
                        java.util.Map.of(),
                        Optional.empty(),
                        List.of()));
    assertThat(same.condition(ConditionType.DatabaseReady).orElseThrow().lastTransitionTime())
        .isEqualTo(T0);
    assertThat(same.condition(ConditionType.DatabaseReady).orElseThrow().reason())
        .isEqualTo("StillCreating");

    ReviewAppStatus flipped =
        writer()
            .update(
                "app",
                s ->
                    s.withCondition(
                        ConditionType.DatabaseReady, ConditionStatus.True, "Created", "", T1));
    assertThat(flipped.condition(ConditionType.DatabaseReady).orElseThrow().lastTransitionTime())
        .isEqualTo(T1);
    assertThat(writer().read("app")).contains(flipped);
  }

  @Test
  void aWriteThatLosesTheRaceReadsAgainAndAppliesTheChangeToTheNewerStatus() {
    writer().update("app", s -> s.withObservedIndex(1));
    AtomicInteger attempts = new AtomicInteger();

    ReviewAppStatus written =
        writer()
            .update(
                "app",
                s -> {
                  if (attempts.incrementAndGet() == 1) {
                    // Someone else writes between our read and our check-and-set.
                    kv.put(
                        layout.status("app"),
                        "{\"phase\":\"Deploying\",\"observedIndex\":7,\"conditions\":[]}"
                            .getBytes(UTF_8));
                  }
                  return s.withUrl(Optional.of("http://app.review.example.com"));
                });

    assertThat(attempts).hasValue(2);
    assertThat(written.phase()).as("the other writer's change survives").isEqualTo(Phase.Deploying);
    assertThat(written.observedIndex()).isEqualTo(7);
    assertThat(writer().read("app")).contains(written);
  }

  @Test
  void anUnchangedStatusIsNotWrittenAgain() {
    writer().update("app", s -> s.withObservedIndex(3));
    long index = kv.get(layout.status("app")).orElseThrow().modifyIndex();

    writer().update("app", s -> s.withObservedIndex(3));

    assertThat(kv.get(layout.status("app")).orElseThrow().modifyIndex()).isEqualTo(index);
  }

  @Test
  void anUnreadableStatusIsReplaced() {
    kv.put(layout.status("app"), "not json".getBytes(UTF_8));

    ReviewAppStatus written = writer().update("app", s -> s.withObservedIndex(5));

    assertThat(written.observedIndex()).isEqualTo(5);
    assertThat(writer().read("app")).contains(written);
  }

  @Test
  void thePhaseKeyFollowsThePhaseAndGoesWithTheStatus() {
    writer().update("app", s -> s.withPhase(Phase.Provisioning));
    assertThat(kv.get(new ReviewAppKeys(layout).phase("app")).orElseThrow().text())
        .isEqualTo("Provisioning");
    long index = kv.get(new ReviewAppKeys(layout).phase("app")).orElseThrow().modifyIndex();

    writer().update("app", s -> s.withPhase(Phase.Provisioning).withObservedIndex(7));
    assertThat(kv.get(new ReviewAppKeys(layout).phase("app")).orElseThrow().modifyIndex())
        .as("same phase, no write")
        .isEqualTo(index);

    writer().update("app", s -> s.withPhase(Phase.Ready));
    assertThat(kv.get(new ReviewAppKeys(layout).phase("app")).orElseThrow().text())
        .isEqualTo("Ready");
    // A new process publishes the phase once even when the status is unchanged.
    kv.delete(new ReviewAppKeys(layout).phase("app"));
    new StatusWriter(kv, layout).update("app", s -> s.withPhase(Phase.Ready));
    assertThat(kv.get(new ReviewAppKeys(layout).phase("app")).orElseThrow().text())
        .isEqualTo("Ready");

    writer().delete("app");
    assertThat(kv.get(layout.status("app"))).isEmpty();
    assertThat(kv.get(new ReviewAppKeys(layout).phase("app"))).isEmpty();
  }

  @Test
  void aHugeMessageIsCutSoThatStatusStaysSmall() {
    String huge = "x".repeat(200_000);
    ReviewAppStatus written =
        writer()
            .update(
                "app",
                s ->
                    s.withLastError(Optional.of(huge))
                        .withCondition(
                            ConditionType.Valid, ConditionStatus.False, "InvalidSpec", huge, T0));

    byte[] stored = kv.get(layout.status("app")).orElseThrow().value();
    assertThat(stored.length).isLessThanOrEqualTo(StatusWriter.MAX_STATUS_BYTES);
    assertThat(written.lastError().orElseThrow())
        .hasSize(StatusWriter.MAX_MESSAGE_CHARS)
        .endsWith("…");
    assertThat(written.condition(ConditionType.Valid).orElseThrow().message()).endsWith("…");
    assertThat(written.condition(ConditionType.Valid).orElseThrow().lastTransitionTime())
        .isEqualTo(T0);
  }
}
