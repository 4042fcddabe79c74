package dev.reviewapps.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.model.Metadata;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.SpecBuilder;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.SleepAfter;
import dev.reviewapps.model.spec.Ttl;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The rules on values, checked on apps built in code (the JSON tests cover the structure). */
class ReviewAppValidatorTest {

  private static List<Violation> validate(SpecBuilder spec) {
    return ReviewAppValidator.validate(spec.app());
  }

  private static List<Violation> withBranch(String branch) {
    return validate(SpecBuilder.valid().branch(branch));
  }

  private static List<Violation> withImage(String image) {
    return validate(SpecBuilder.valid().image(image));
  }

  private static List<Violation> withDatabase(Database database) {
    return validate(SpecBuilder.valid().database(database));
  }

  private static List<Violation> withWeb(ProcessSpec web) {
    return validate(SpecBuilder.valid().web(web));
  }

  private static List<Violation> withEnv(Map<String, String> env) {
    return validate(SpecBuilder.valid().env(env));
  }

  @Test
  void aWellFormedAppHasNoViolations() {
    assertThat(withBranch("deploy-x")).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"deploy-x", "deploy/New_Checkout/v2", "deploy-ünïcode", "a", "deploy-1.2.3"})
  void validGitBranchNamesPass(String branch) {
    assertThat(withBranch(branch)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "", "@", "-deploy", "deploy x", "deploy..x", "deploy/.hidden", "deploy.lock",
            "deploy/x.lock",
        "deploy/", "/deploy", "deploy//x", "deploy.", "deploy@{1}", "deploy~1", "deploy^", "a:b",
        "a?b", "a*b", "a[b", "a\\b", "a\tb", "a\u007fb"
      })
  void invalidGitBranchNamesAreRefused(String branch) {
    assertThat(withBranch(branch))
        .extracting(Violation::path, Violation::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("$.spec.branch", Rule.GIT_REF));
  }

  @Test
  void aBranchLongerThan255CharactersIsRefused() {
    assertThat(withBranch("d".repeat(255))).isEmpty();
    assertThat(withBranch("d".repeat(256)))
        .extracting(Violation::rule)
        .containsExactly(Rule.GIT_REF);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "redis",
        "redis:7",
        "redis:7-alpine",
        "library/redis:7",
        "registry.example.com/shop/web:v1",
        "registry.example.com:5000/shop/web",
        "localhost:5000/a_b__c-d.e/f:tag",
        "shop/web@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "shop/web:1@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
        "[::1]:5000/shop/web:1"
      })
  void validImageReferencesPass(String image) {
    assertThat(withImage(image)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Shop/web",
        "shop/web:",
        "shop/web:-tag",
        "shop//web",
        "shop/web@sha256:abc",
        "shop web",
        "-shop/web",
        "shop/web/",
        "https://registry.example.com/shop/web"
      })
  void invalidImageReferencesAreRefused(String image) {
    assertThat(withImage(image))
        .extracting(Violation::path, Violation::rule)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("$.spec.image", Rule.IMAGE_REFERENCE));
  }

  @Test
  void processBoundsAreInclusive() {
    assertThat(withWeb(new ProcessSpec("x", 0, 50, 32, Optional.empty()))).isEmpty();
    assertThat(withWeb(new ProcessSpec("x", 20, 8000, 16384, Optional.empty()))).isEmpty();
    assertThat(withWeb(new ProcessSpec("x", 21, 8001, 16385, Optional.empty())))
        .extracting(Violation::path)
        .containsExactly(
            "$.spec.processes.web.count",
            "$.spec.processes.web.cpu",
            "$.spec.processes.web.memoryMB");
    assertThat(withWeb(new ProcessSpec("x", -1, 49, 31, Optional.empty()))).hasSize(3);
  }

  @Test
  void commandsMustHaveSomethingToRunAndNoNul() {
    assertThat(withWeb(ProcessSpec.of(" \t\n")))
        .extracting(Violation::path, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("$.spec.processes.web.command", Rule.COMMAND));
    assertThat(withWeb(ProcessSpec.of("echo \u0000")))
        .extracting(Violation::rule)
        .containsExactly(Rule.COMMAND);
    assertThat(withWeb(ProcessSpec.of("x".repeat(Bounds.MAX_COMMAND_LENGTH)))).isEmpty();
    assertThat(withWeb(ProcessSpec.of("x".repeat(Bounds.MAX_COMMAND_LENGTH + 1)))).hasSize(1);
  }

  @Test
  void aHealthPathMustBeAnAbsolutePathAndOnlyTheWebProcessHasOne() {
    assertThat(withWeb(new ProcessSpec("x", 1, 500, 512, Optional.of("/health?deep=1")))).isEmpty();
    assertThat(withWeb(new ProcessSpec("x", 1, 500, 512, Optional.of("health"))))
        .extracting(Violation::rule)
        .containsExactly(Rule.HEALTH_PATH);
    assertThat(withWeb(new ProcessSpec("x", 1, 500, 512, Optional.of("/a b"))))
        .extracting(Violation::rule)
        .containsExactly(Rule.HEALTH_PATH);
    assertThat(
            validate(
                SpecBuilder.valid().worker(new ProcessSpec("w", 1, 500, 512, Optional.of("/")))))
        .extracting(Violation::path)
        .containsExactly("$.spec.processes.worker.healthPath");
  }

  @Test
  void environmentNamesArePosixAndNotReserved() {
    assertThat(withEnv(Map.of("RAILS_ENV", "staging", "_x1", "", "lower", "ok"))).isEmpty();
    assertThat(
            withEnv(
                Map.of(
                    "1X", "a",
                    "A-B", "a",
                    "DATABASE_URL", "a",
                    "REDIS_URL", "a",
                    "PORT", "a",
                    "NOMAD_ADDR", "a",
                    "REVIEW_APP_NAME", "a")))
        .extracting(Violation::path, Violation::rule)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("$.spec.env['1X']", Rule.ENV_NAME),
            org.assertj.core.groups.Tuple.tuple("$.spec.env['A-B']", Rule.ENV_NAME),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.DATABASE_URL", Rule.RESERVED_ENV),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.REDIS_URL", Rule.RESERVED_ENV),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.PORT", Rule.RESERVED_ENV),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.NOMAD_ADDR", Rule.RESERVED_ENV),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.REVIEW_APP_NAME", Rule.RESERVED_ENV));
  }

  @Test
  void environmentValuesHaveNoNulAndABoundedLength() {
    assertThat(withEnv(Map.of("A", "x".repeat(Bounds.MAX_ENV_VALUE_LENGTH)))).isEmpty();
    assertThat(withEnv(Map.of("A", "x".repeat(Bounds.MAX_ENV_VALUE_LENGTH + 1), "B", "a\u0000")))
        .extracting(Violation::path, Violation::rule)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("$.spec.env.A", Rule.ENV_VALUE),
            org.assertj.core.groups.Tuple.tuple("$.spec.env.B", Rule.ENV_VALUE));
  }

  @Test
  void databaseFieldsAreCheckedForTheirMode() {
    assertThat(withDatabase(new Database.Shared(Optional.empty()))).isEmpty();
    assertThat(withDatabase(new Database.Shared(Optional.of("Shop Seed"))))
        .extracting(Violation::path)
        .containsExactly("$.spec.database.template");
    assertThat(withDatabase(new Database.Instance("db.t3.micro", 20, Optional.of("16.4"))))
        .isEmpty();
    assertThat(withDatabase(new Database.Instance("t3.micro", 19, Optional.of("latest"))))
        .extracting(Violation::path)
        .containsExactly(
            "$.spec.database.instanceClass",
            "$.spec.database.allocatedStorage",
            "$.spec.database.engineVersion");
    assertThat(withDatabase(new Database.Snapshot("shop-prod-2026", Optional.of("db.r6g.large"))))
        .isEmpty();
    assertThat(
            withDatabase(
                new Database.Snapshot(
                    "arn:aws:rds:eu-west-1:123456789012:snapshot:shop-prod", Optional.empty())))
        .isEmpty();
    assertThat(withDatabase(new Database.Snapshot("rds:shop-2026-11-01-03-00", Optional.empty())))
        .isEmpty();
    assertThat(withDatabase(new Database.Snapshot("shop--prod", Optional.empty())))
        .extracting(Violation::path)
        .containsExactly("$.spec.database.snapshotIdentifier");
    assertThat(withDatabase(new Database.Snapshot("1shop", Optional.of("large"))))
        .extracting(Violation::path)
        .containsExactly("$.spec.database.snapshotIdentifier", "$.spec.database.instanceClass");
  }

  @Test
  void theNameIsAnAppNameAndLabelsFollowTheLabelSyntax() {
    ReviewAppSpec spec = SpecBuilder.valid().build();
    assertThat(ReviewAppValidator.validate(new ReviewApp(Metadata.named("a".repeat(60)), spec)))
        .isEmpty();
    for (String bad :
        List.of("a".repeat(61), "a".repeat(63), "", "-a", "a-", "A", "a_b", "a.b", "shop--api")) {
      assertThat(ReviewAppValidator.validate(new ReviewApp(Metadata.named(bad), spec)))
          .as(bad)
          .extracting(Violation::rule)
          .containsExactly(Rule.DNS_LABEL);
    }
    Metadata labelled =
        new Metadata("deploy-x", Map.of("team", "payments", "bad key", "x", "k", "-v"));
    assertThat(ReviewAppValidator.validate(new ReviewApp(labelled, spec)))
        .extracting(Violation::path)
        .containsExactly("$.metadata.labels['bad key']", "$.metadata.labels.k");
  }

  @Test
  void ttlBoundsAreTenMinutesToNinetyDays() {
    for (String ok : List.of("10m", "1h", "72h", "90d", "2160h")) {
      assertThat(validate(SpecBuilder.valid().ttl(Ttl.parse(ok)))).as(ok).isEmpty();
    }
    for (String tooFar : List.of("9m", "91d", "2161h", "999999m")) {
      assertThat(validate(SpecBuilder.valid().ttl(Ttl.parse(tooFar))))
          .as(tooFar)
          .extracting(Violation::rule)
          .containsExactly(Rule.TTL);
    }
  }

  @Test
  void sleepAfterIsNeverOrFiveMinutesToThirtyDays() {
    for (String ok : List.of("0", "5m", "30m", "2h", "30d", "720h")) {
      assertThat(validate(SpecBuilder.valid().sleepAfter(SleepAfter.parse(ok)))).as(ok).isEmpty();
    }
    for (String tooFar : List.of("4m", "1m", "31d", "721h")) {
      assertThat(validate(SpecBuilder.valid().sleepAfter(SleepAfter.parse(tooFar))))
          .as(tooFar)
          .extracting(Violation::path, Violation::rule)
          .containsExactly(
              org.assertj.core.groups.Tuple.tuple("$.spec.sleepAfter", Rule.SLEEP_AFTER));
    }
  }
}
