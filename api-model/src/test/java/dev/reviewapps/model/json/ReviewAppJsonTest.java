package dev.reviewapps.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.SpecBuilder;
import dev.reviewapps.model.SpecFiles;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.SleepAfter;
import dev.reviewapps.model.spec.Ttl;
import dev.reviewapps.model.validation.Bounds;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class ReviewAppJsonTest {

  private static final String MINIMAL =
      """
      {"apiVersion": "reviewapps/v1", "kind": "ReviewApp", "metadata": {"name": "deploy-x"},
       "spec": {"branch": "deploy-x", "commit": "abcdef1", "image": "shop/web:1",
                "database": {"mode": "shared"},
                "processes": {"web": {"command": "bundle exec unicorn"}}}}
      """;

  private static ReviewApp parsed(String json) {
    ParseResult<ReviewApp> result = ReviewAppJson.parse(json);
    assertThat(result.violations()).isEmpty();
    return result.toOptional().orElseThrow();
  }

  private static List<String> messages(String json) {
    return ReviewAppJson.parse(json).violations().stream().map(Violation::toString).toList();
  }

  @Test
  void theDesignExampleReadsIntoRecords() {
    ReviewApp app =
        ReviewAppJson.parse(SpecFiles.read(SpecFiles.EXAMPLES.resolve("shared-database.json")))
            .toOptional()
            .orElseThrow();
    assertThat(app.name()).isEqualTo("deploy-new-checkout");
    assertThat(app.metadata().labels()).containsEntry("team", "payments");
    assertThat(app.spec().database()).isEqualTo(new Database.Shared(Optional.of("shop_seed")));
    assertThat(app.spec().processes().web().cpuMhz()).isEqualTo(500);
    assertThat(app.spec().processes().web().memoryMb()).isEqualTo(1024);
    assertThat(app.spec().processes().web().healthPath()).contains("/health");
    assertThat(app.spec().processes().worker().orElseThrow().count()).isEqualTo(1);
    assertThat(app.spec().release().seed()).contains("bundle exec rake db:seed");
    assertThat(app.spec().release().predestroy()).isEmpty();
    assertThat(app.spec().env()).containsEntry("RAILS_ENV", "staging");
    assertThat(app.spec().ttl().map(Ttl::duration)).contains(Duration.ofHours(72));
  }

  @Test
  void leftOutFieldsTakeTheirDocumentedDefaults() {
    ReviewApp app = parsed(MINIMAL);
    assertThat(app.spec().processes().web())
        .isEqualTo(
            new ProcessSpec(
                "bundle exec unicorn",
                ProcessSpec.DEFAULT_COUNT,
                ProcessSpec.DEFAULT_CPU_MHZ,
                ProcessSpec.DEFAULT_MEMORY_MB,
                Optional.empty()));
    assertThat(app.spec().redis()).isEmpty();
    assertThat(app.spec().release().isEmpty()).isTrue();
    assertThat(app.spec().env()).isEmpty();
    assertThat(app.spec().ttl()).isEmpty();
    assertThat(app.spec().sleepAfter()).isEmpty();
    assertThat(app.metadata().labels()).isEmpty();
  }

  @Test
  void sleepAfterIsZeroOrADurationAndRoundTripsAsWritten() {
    ReviewApp never =
        parsed(MINIMAL.replace("\"database\"", "\"sleepAfter\": \"0\", \"database\""));
    assertThat(never.spec().sleepAfter()).contains(SleepAfter.NEVER);
    ReviewApp idle =
        parsed(MINIMAL.replace("\"database\"", "\"sleepAfter\": \"90m\", \"database\""));
    assertThat(idle.spec().sleepAfter().flatMap(SleepAfter::duration))
        .contains(Duration.ofMinutes(90));
    assertThat(new String(ReviewAppJson.write(idle), java.nio.charset.StandardCharsets.UTF_8))
        .contains("\"sleepAfter\":\"90m\"");
    for (String bad : List.of("00", "-5m", "5 m", "1.5h", "5s", "never", "")) {
      assertThat(
              ReviewAppJson.parse(
                      MINIMAL.replace(
                          "\"database\"", "\"sleepAfter\": \"" + bad + "\", \"database\""))
                  .violations())
          .as(bad)
          .extracting(Violation::path, Violation::rule)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("$.spec.sleepAfter", Rule.SLEEP_AFTER));
    }
  }

  @Test
  void everyExampleRoundTripsToTheSameAppAndTheSameBytes() {
    for (Path example : SpecFiles.examples()) {
      ReviewApp app = ReviewAppJson.parse(SpecFiles.read(example)).toOptional().orElseThrow();
      byte[] written = ReviewAppJson.write(app);
      ReviewApp again = ReviewAppJson.parse(written).toOptional().orElseThrow();
      assertThat(again).as("%s", example).isEqualTo(app);
      assertThat(ReviewAppJson.write(again)).as("%s", example).isEqualTo(written);
      assertThat(ReviewAppJson.parse(ReviewAppJson.writePretty(app)).toOptional()).contains(app);
    }
  }

  @Test
  void mapsAreWrittenInSortedOrderWhateverTheInputOrder() {
    String a =
        MINIMAL.replace("\"database\"", "\"env\": {\"B\": \"2\", \"A\": \"1\"}, \"database\"");
    String b =
        MINIMAL.replace("\"database\"", "\"env\": {\"A\": \"1\", \"B\": \"2\"}, \"database\"");
    String written = new String(ReviewAppJson.write(parsed(a)), StandardCharsets.UTF_8);
    assertThat(written).contains("\"env\":{\"A\":\"1\",\"B\":\"2\"}");
    assertThat(ReviewAppJson.write(parsed(b))).isEqualTo(written.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void aTypoInAFieldNameIsNamedWithItsPathAndASuggestion() {
    String typo = MINIMAL.replace("\"processes\"", "\"proceses\"");
    assertThat(messages(typo))
        .containsExactly(
            "$.spec.processes: required",
            "$.spec.proceses: unknown field; did you mean \"processes\"?");
  }

  @Test
  void unknownFieldsAreReportedAtEveryLevel() {
    String json =
        MINIMAL
            .replace("\"kind\"", "\"extra\": 1, \"kind\"")
            .replace("\"name\": \"deploy-x\"", "\"name\": \"deploy-x\", \"annotations\": {}")
            .replace(
                "\"mode\": \"shared\"", "\"mode\": \"shared\", \"instanceClass\": \"db.t3.micro\"")
            .replace("\"command\"", "\"replicas\": 2, \"command\"");
    assertThat(ReviewAppJson.parse(json).violations())
        .extracting(Violation::path, Violation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("$.extra", Rule.UNKNOWN_FIELD),
            org.assertj.core.groups.Tuple.tuple("$.metadata.annotations", Rule.UNKNOWN_FIELD),
            org.assertj.core.groups.Tuple.tuple(
                "$.spec.database.instanceClass", Rule.UNKNOWN_FIELD),
            org.assertj.core.groups.Tuple.tuple(
                "$.spec.processes.web.replicas", Rule.UNKNOWN_FIELD));
  }

  @Test
  void fiveMistakesGiveFiveMessages() {
    String json =
        MINIMAL
            .replace("\"name\": \"deploy-x\"", "\"name\": \"Deploy X\"")
            .replace("\"commit\": \"abcdef1\"", "\"commit\": \"HEAD\"")
            .replace(
                "\"command\": \"bundle exec unicorn\"",
                "\"command\": \"bundle exec unicorn\", \"count\": 50, \"memoryMB\": 8")
            .replace("\"database\"", "\"env\": {\"PORT\": \"80\"}, \"database\"");
    assertThat(ReviewAppJson.parse(json).violations())
        .extracting(Violation::path, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("$.metadata.name", Rule.DNS_LABEL),
            org.assertj.core.groups.Tuple.tuple("$.spec.commit", Rule.COMMIT),
            org.assertj.core.groups.Tuple.tuple("$.spec.processes.web.count", Rule.RANGE),
            org.assertj.core.groups.Tuple.tuple("$.spec.processes.web.memoryMB", Rule.RANGE),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.PORT", Rule.RESERVED_ENV));
  }

  @Test
  void theBrokenFiveMistakesFileGetsFiveMessages() {
    List<Violation> violations =
        ReviewAppJson.parse(SpecFiles.read(SpecFiles.BROKEN.resolve("five-mistakes.json")))
            .violations();
    assertThat(violations)
        .extracting(Violation::path)
        .containsExactlyInAnyOrder(
            "$.spec.proceses",
            "$.spec.processes.web.count",
            "$.spec.processes.worker.cpu",
            "$.spec.env.REDIS_URL",
            "$.spec.ttl");
  }

  @Test
  void aMissingObjectIsReportedOnceNotOncePerFieldInside() {
    String json =
        MINIMAL.replace(
            "\"processes\": {\"web\": {\"command\": \"bundle exec unicorn\"}}",
            "\"processes\": {}");
    assertThat(messages(json)).containsExactly("$.spec.processes.web: required");
  }

  @Test
  void aMistypedFieldIsReportedAsTypeNotAlsoAsABrokenRule() {
    String json = MINIMAL.replace("\"commit\": \"abcdef1\"", "\"commit\": 1234567");
    assertThat(messages(json))
        .containsExactly("$.spec.commit: must be a string, not a whole number");
  }

  @Test
  void anUnknownDatabaseModeListsTheModesAndJudgesNoOtherDatabaseField() {
    String json =
        MINIMAL.replace("{\"mode\": \"shared\"}", "{\"mode\": \"mysql\", \"host\": \"db\"}");
    assertThat(messages(json))
        .containsExactly(
            "$.spec.database.mode: must be one of shared, instance, snapshot (got \"mysql\")");
  }

  @Test
  void duplicateKeysTrailingGarbageAndNonObjectsAreInvalidJson() {
    assertThat(
            ReviewAppJson.parse("{\"kind\": \"ReviewApp\", \"kind\": \"ReviewApp\"}").violations())
        .singleElement()
        .satisfies(v -> assertThat(v.rule()).isEqualTo(Rule.JSON_SYNTAX))
        .satisfies(v -> assertThat(v.message()).contains("kind"));
    assertThat(ReviewAppJson.parse(MINIMAL + " {}").violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.JSON_SYNTAX);
    assertThat(messages("[]")).containsExactly("$: must be an object, not an array");
    assertThat(messages("")).containsExactly("$: must be an object, not nothing");
  }

  @Test
  void aSpecOverConsulsValueLimitIsRefusedBeforeParsing() {
    byte[] huge = new byte[Bounds.MAX_SPEC_BYTES + 1];
    java.util.Arrays.fill(huge, (byte) ' ');
    assertThat(ReviewAppJson.parse(huge).violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.TOO_LARGE);
  }

  @Test
  void validateOfAnAppBuiltInCodeAddsTheSizeLimit() {
    ReviewApp app = parsed(MINIMAL);
    assertThat(ReviewAppJson.validate(app)).isEmpty();
    // 20 variables of 30000 characters: each within bounds, together over 512 KiB.
    java.util.Map<String, String> env = new java.util.HashMap<>();
    for (int i = 0; i < 20; i++) {
      env.put("V" + i, "x".repeat(30_000));
    }
    ReviewApp big = new ReviewApp(app.metadata(), SpecBuilder.from(app.spec()).env(env).build());
    assertThat(ReviewAppJson.validate(big))
        .extracting(Violation::rule)
        .containsExactly(Rule.TOO_LARGE);
    assertThat(ReviewAppJson.parse(ReviewAppJson.write(big)).violations())
        .extracting(Violation::rule)
        .containsExactly(Rule.TOO_LARGE);
  }
}
