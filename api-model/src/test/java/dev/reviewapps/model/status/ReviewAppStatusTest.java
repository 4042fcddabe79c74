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
                    Optional.empty()))
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
