package dev.reviewapps.model.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ViolationSummaryTest {

  @Test
  void aSpecWithTensOfThousandsOfBadEnvKeysGivesAShortSummary() {
    StringBuilder env = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      env.append(i == 0 ? "" : ",").append("\"").append(i).append("x\":\"v\"");
    }
    String spec =
        "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\",\"metadata\":{\"name\":\"deploy-x\"},"
            + "\"spec\":{\"branch\":\"deploy-x\",\"commit\":\"3f2a9c1e\","
            + "\"image\":\"registry.example.com/shop/web:1\",\"database\":{\"mode\":\"shared\"},"
            + "\"processes\":{\"web\":{\"command\":\"web\",\"count\":1,\"cpu\":100,\"memoryMB\":64}},"
            + "\"env\":{"
            + env
            + "}}}";
    ParseResult<ReviewApp> parsed = ReviewAppJson.parse(spec.getBytes(StandardCharsets.UTF_8));
    List<Violation> all = parsed.violations();
    assertThat(all).hasSizeGreaterThan(Violation.MAX_REPORTED);

    String summary = Violation.summary(all);

    assertThat(summary.split("; ")).hasSize(Violation.MAX_REPORTED + 1);
    assertThat(summary).endsWith("; and " + (all.size() - Violation.MAX_REPORTED) + " more");
    assertThat(summary.length()).isLessThan(Violation.MAX_REPORTED * 2 * Violation.MAX_TEXT);
  }

  @Test
  void aLongMessageIsCutAndAFewViolationsAreListedWhole() {
    Violation huge = new Violation("$.spec.x", Rule.RANGE, "y".repeat(10_000));
    Violation small = new Violation("$.spec.y", Rule.RANGE, "must be 1");
    assertThat(Violation.summary(List.of(small))).isEqualTo("$.spec.y: must be 1");
    assertThat(Violation.summary(List.of(huge, small)))
        .hasSizeLessThan(Violation.MAX_TEXT * 2)
        .endsWith("…; $.spec.y: must be 1");
  }
}
