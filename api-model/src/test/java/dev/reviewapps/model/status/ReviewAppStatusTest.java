package dev.reviewapps.model.status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReviewAppStatusTest {
  private static final Instant T0 = Instant.parse("2026-11-26T10:00:00Z");
  private static final Instant T1 = Instant.parse("2026-11-26T10:05:00Z");
  private static final Instant T2 = Instant.parse("2026-11-26T10:10:00Z");

  @Test
  void aRejectionCountsOnlyForTheSpecItWasWrittenFor() {
    ReviewAppStatus running =
        ReviewAppStatus.pending(9)
            .withPhase(Phase.Ready)
            .withCondition(ConditionType.Valid, ConditionStatus.True, "Valid", "", T0);
    assertThat(running.rejection(9)).isEmpty();
    ReviewAppStatus refused =
        running.withCondition(
            ConditionType.Valid, ConditionStatus.False, "InvalidSpec", "update rejected: x", T1);
    assertThat(refused.rejection(9)).contains("update rejected: x");
    assertThat(refused.rejection(8)).as("a later status speaks for it too").isPresent();
    assertThat(refused.rejection(10)).as("a spec written after it is not judged yet").isEmpty();
    assertThat(ReviewAppStatus.pending(9).rejection(9)).as("no Valid condition").isEmpty();
  }

  @Test
  void aConditionKeepsItsTransitionTimeWhileItsStatusStaysTheSame() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(7)
            .withCondition(
                ConditionType.DatabaseReady, ConditionStatus.False, "Creating", "RDS creating", T0)
            .withCondition(
                ConditionType.DatabaseReady, ConditionStatus.False, "Creating", "backing up", T1);
    Condition db = status.condition(ConditionType.DatabaseReady).orElseThrow();
    assertThat(db.lastTransitionTime()).isEqualTo(T0);
    assertThat(db.message()).isEqualTo("backing up");
  }

  @Test
  void aConditionGetsANewTransitionTimeWhenItsStatusFlips() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(7)
            .withCondition(ConditionType.DatabaseReady, ConditionStatus.False, "Creating", "", T0)
            .withCondition(ConditionType.DatabaseReady, ConditionStatus.True, "Created", "", T2);
    assertThat(status.condition(ConditionType.DatabaseReady).orElseThrow().lastTransitionTime())
        .isEqualTo(T2);
    assertThat(status.isTrue(ConditionType.DatabaseReady)).isTrue();
    assertThat(status.isTrue(ConditionType.Routed)).isFalse();
    assertThat(status.conditions()).hasSize(1);
  }

  @Test
  void conditionsAreKeptInStepOrderWhateverOrderTheyWereSetIn() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(1)
            .withCondition(ConditionType.Routed, ConditionStatus.True, "Routed", "", T0)
            .withCondition(ConditionType.Valid, ConditionStatus.True, "Valid", "", T0)
            .withCondition(ConditionType.WebReady, ConditionStatus.Unknown, "Starting", "", T0);
    assertThat(status.conditions())
        .extracting(Condition::type)
        .containsExactly(ConditionType.Valid, ConditionType.WebReady, ConditionType.Routed);
  }

  @Test
  void twoConditionsOfOneTypeAreRefused() {
    Condition valid = new Condition(ConditionType.Valid, ConditionStatus.True, "Valid", "", T0);
    assertThatThrownBy(
            () ->
                new ReviewAppStatus(
                    Phase.Ready,
                    1,
                    Optional.empty(),
                    List.of(valid, valid),
                    Optional.empty(),
                    Optional.empty(),
                    Optional.empty(),
                    java.util.Map.of(),
                    Optional.empty(),
                    List.of()))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aStatusRoundTripsThroughJsonToTheSameValueAndBytes() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(1234)
            .withPhase(Phase.Ready)
            .withUrl(Optional.of("http://deploy-new-checkout.review.example.com"))
            .withLastError(Optional.of("RDS throttled"))
            .withExpiresAt(Optional.of(T2))
            .withMessage(Optional.of("all steps done"))
            .withCondition(ConditionType.DatabaseReady, ConditionStatus.True, "Created", "", T0)
            .withCondition(ConditionType.Routed, ConditionStatus.True, "Routed", "2 upstreams", T1)
            .withTimings(
                java.util.Map.of(
                    ConditionType.DatabaseReady,
                    java.time.Duration.ofMillis(1234),
                    ConditionType.WebReady,
                    java.time.Duration.ofSeconds(3)));
    byte[] written = ReviewAppJson.writeStatus(status);
    ReviewAppStatus read = ReviewAppJson.parseStatus(written).toOptional().orElseThrow();
    assertThat(read).isEqualTo(status);
    assertThat(ReviewAppJson.writeStatus(read)).isEqualTo(written);
    assertThat(new String(written, StandardCharsets.UTF_8))
        .startsWith("{\"phase\":\"Ready\",\"observedIndex\":1234,")
        .contains("\"lastTransitionTime\":\"2026-11-26T10:00:00Z\"")
        .contains("\"timings\":{\"DatabaseReady\":1.234,\"WebReady\":3.0}");
    assertThat(
            ReviewAppJson.parseStatus(
                    "{\"phase\":\"Ready\",\"timings\":{\"Nope\":1,\"WebReady\":-2}}"
                        .getBytes(StandardCharsets.UTF_8))
                .violations())
        .hasSize(2);
  }

  @Test
  void eachRevisionIsOneRolloutThatEndsReadyFailedOrSuperseded() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(1)
            .withPhase(Phase.Provisioning)
            .withRolloutOf("rev1", "aaa", T0)
            .withPhase(Phase.Ready)
            .withTimings(java.util.Map.of(ConditionType.WebReady, java.time.Duration.ofSeconds(4)))
            .withRolloutOf("rev1", "aaa", T1)
            // A sleep, a wake or another resync of the same revision is no new rollout.
            .withPhase(Phase.Sleeping)
            .withRolloutOf("rev1", "aaa", T2);
    assertThat(status.rollouts()).hasSize(1);
    Rollout first = status.rollouts().get(0);
    assertThat(first.outcome()).isEqualTo(Rollout.Outcome.Ready);
    assertThat(first.startedAt()).isEqualTo(T0);
    assertThat(first.finishedAt()).contains(T1);
    assertThat(first.timings())
        .containsEntry(ConditionType.WebReady, java.time.Duration.ofSeconds(4));

    ReviewAppStatus next =
        status
            .withPhase(Phase.Deploying)
            .withRolloutOf("rev2", "bbb", T1)
            .withRolloutOf("rev3", "ccc", T2)
            .withPhase(Phase.Failed)
            .withLastError(Optional.of("MigrationFailed: exit 1"))
            .withRolloutOf("rev3", "ccc", T2);
    assertThat(next.rollouts())
        .extracting(Rollout::commit, Rollout::outcome)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("ccc", Rollout.Outcome.Failed),
            org.assertj.core.groups.Tuple.tuple("bbb", Rollout.Outcome.Superseded),
            org.assertj.core.groups.Tuple.tuple("aaa", Rollout.Outcome.Ready));
    assertThat(next.rollouts().get(0).message()).isEqualTo("MigrationFailed: exit 1");
    String longReason = "x".repeat(10_000);
    assertThat(
            ReviewAppStatus.pending(1)
                .withPhase(Phase.Failed)
                .withLastError(Optional.of(longReason))
                .withRolloutOf("r", "c", T0)
                .rollouts()
                .get(0)
                .message())
        .hasSize(Rollout.MAX_MESSAGE)
        .endsWith("…");
    // A failed rollout that a retry brings up ends Ready.
    assertThat(
            next.withPhase(Phase.Ready)
                .withRolloutOf("rev3", "ccc", T2)
                .rollouts()
                .get(0)
                .outcome())
        .isEqualTo(Rollout.Outcome.Ready);

    ReviewAppStatus many = next;
    for (int i = 0; i < 10; i++) {
      many = many.withRolloutOf("r" + i, "c" + i, T2);
    }
    assertThat(many.rollouts()).hasSize(ReviewAppStatus.ROLLOUTS_KEPT);
    assertThat(many.rollouts().get(0).commit()).isEqualTo("c9");
    byte[] written = ReviewAppJson.writeStatus(next);
    assertThat(ReviewAppJson.parseStatus(written).toOptional()).contains(next);
    assertThat(new String(written, StandardCharsets.UTF_8))
        .contains(
            "\"rollouts\":[{\"revision\":\"rev3\",\"commit\":\"ccc\","
                + "\"startedAt\":\"2026-11-26T10:10:00Z\",\"outcome\":\"Failed\"");
    assertThat(
            ReviewAppJson.parseStatus(
                    "{\"phase\":\"Ready\",\"rollouts\":[{\"revision\":\"r\",\"outcome\":\"Done\"}]}"
                        .getBytes(StandardCharsets.UTF_8))
                .violations())
        .extracting(v -> v.path())
        .containsExactlyInAnyOrder(
            "$.rollouts[0].commit", "$.rollouts[0].startedAt", "$.rollouts[0].outcome");
  }

  @Test
  void theDesignsStatusExampleReads() {
    String json =
        """
        { "phase": "Ready", "observedIndex": 1234, "url": "http://deploy-new-checkout.review.example.com",
          "conditions": [ { "type": "DatabaseReady", "status": "True", "reason": "Created",
                            "message": "", "lastTransitionTime": "2026-11-26T10:00:00Z" } ] }
        """;
    ReviewAppStatus status =
        ReviewAppJson.parseStatus(json.getBytes(StandardCharsets.UTF_8)).toOptional().orElseThrow();
    assertThat(status.phase()).isEqualTo(Phase.Ready);
    assertThat(status.observedIndex()).isEqualTo(1234);
    assertThat(status.condition(ConditionType.DatabaseReady).orElseThrow().lastTransitionTime())
        .isEqualTo(T0);
  }

  @Test
  void aBrokenStatusNamesEachProblem() {
    String json =
        """
        { "phase": "Done", "observedIndex": -1,
          "conditions": [ { "type": "Valid", "status": "Yes", "reason": "x", "lastTransitionTime": "yesterday" },
                          { "type": "Valid", "status": "True", "reason": "x", "lastTransitionTime": "2026-11-26T10:00:00Z" } ],
          "expiresIn": "72h" }
        """;
    ParseResult<ReviewAppStatus> result =
        ReviewAppJson.parseStatus(json.getBytes(StandardCharsets.UTF_8));
    assertThat(result.violations())
        .extracting(v -> v.path())
        .containsExactlyInAnyOrder(
            "$.phase",
            "$.observedIndex",
            "$.conditions[0].status",
            "$.conditions[0].lastTransitionTime",
            "$.conditions[1].type",
            "$.expiresIn");
  }
}
