package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DataSourcesTest {

  private static final DataSources ALLOWED =
      new DataSources(Set.of("shop_seed"), List.of("shop-prod-anonymized-*", "rds:exact"));

  private static ReviewAppSpec spec(String database) {
    return ReviewAppJson.parse(
            Apps.spec("deploy-ds", "abcd1234", database, false)
                .getBytes(java.nio.charset.StandardCharsets.UTF_8))
        .toOptional()
        .orElseThrow()
        .spec();
  }

  @Test
  void onlyAListedTemplateMayBeCloned() {
    assertThat(ALLOWED.check(spec("{\"mode\":\"shared\",\"template\":\"shop_seed\"}"))).isEmpty();
    assertThat(ALLOWED.check(spec("{\"mode\":\"shared\"}"))).isEmpty();
    for (String foreign : List.of("postgres", "ra_deploy_other", "template1", "shop_seed2")) {
      List<Violation> v =
          ALLOWED.check(spec("{\"mode\":\"shared\",\"template\":\"" + foreign + "\"}"));
      assertThat(v).as(foreign).hasSize(1);
      assertThat(v.get(0).path()).isEqualTo("$.spec.database.template");
      assertThat(v.get(0).rule()).isEqualTo(Rule.NOT_ALLOWED);
      assertThat(v.get(0).message()).contains(foreign).contains("allowed: shop_seed");
    }
  }

  @Test
  void onlyASnapshotMatchingAPatternMayBeRestoredAndNoneByDefault() {
    String ok =
        "{\"mode\":\"snapshot\",\"snapshotIdentifier\":\"shop-prod-anonymized-2026-11-01\"}";
    assertThat(ALLOWED.check(spec(ok))).isEmpty();
    assertThat(ALLOWED.check(spec("{\"mode\":\"snapshot\",\"snapshotIdentifier\":\"rds:exact\"}")))
        .isEmpty();
    for (String foreign :
        List.of(
            "shop-prod-2026-11-01",
            "rds:exactly",
            "arn:aws:rds:us-east-1:123456789012:snapshot:shop-prod-anonymized-1")) {
      String json = "{\"mode\":\"snapshot\",\"snapshotIdentifier\":\"" + foreign + "\"}";
      assertThat(ALLOWED.check(spec(json)))
          .as(foreign)
          .extracting(Violation::path)
          .containsExactly("$.spec.database.snapshotIdentifier");
    }
    assertThat(DataSources.NONE.check(spec(ok)))
        .extracting(Violation::message)
        .allMatch(m -> m.contains("none configured"));
  }

  @Test
  void aTemplateListNamingAnAppDatabaseOrASystemDatabaseIsRefusedAtStart() {
    assertThat(ALLOWED.problem()).isEmpty();
    assertThat(new DataSources(Set.of("ra_deploy_x"), List.of()).problem()).isPresent();
    assertThat(new DataSources(Set.of("postgres"), List.of()).problem()).isPresent();
    assertThat(new DataSources(Set.of("template0"), List.of()).problem()).isPresent();
    assertThat(new DataSources(Set.of("Shop Seed"), List.of()).problem()).isPresent();
  }
}
