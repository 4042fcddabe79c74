package dev.reviewapps.model;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import dev.reviewapps.model.json.ParseResult;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Ttl;
import dev.reviewapps.model.validation.Bounds;
import dev.reviewapps.model.validation.ReviewAppValidator;
import dev.reviewapps.model.validation.Violation;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped JSON Schema and the Java validator agree: every example passes both, every broken
 * spec fails both, and the bounds the schema spells out as patterns match the validator's.
 */
class ReviewAppSchemaTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static JsonSchema schema;
  private static JsonNode schemaTree;

  @BeforeAll
  static void loadSchema() throws IOException {
    try (InputStream in =
        ReviewAppSchemaTest.class.getResourceAsStream("/reviewapp-v1.schema.json")) {
      assertThat(in).as("schema on the classpath").isNotNull();
      byte[] bytes = in.readAllBytes();
      schemaTree = JSON.readTree(bytes);
      schema = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012).getSchema(schemaTree);
    }
  }

  private static Set<ValidationMessage> schemaErrors(byte[] spec) throws IOException {
    return schema.validate(JSON.readTree(spec));
  }

  @Test
  void thereAreExamplesAndBrokenSpecsToCheck() {
    assertThat(SpecFiles.examples()).hasSizeGreaterThanOrEqualTo(3);
    assertThat(SpecFiles.broken()).hasSizeGreaterThanOrEqualTo(30);
  }

  @Test
  void everyExampleSpecPassesTheSchemaAndTheValidator() throws IOException {
    for (Path example : SpecFiles.examples()) {
      byte[] spec = SpecFiles.read(example);
      assertThat(schemaErrors(spec)).as("schema errors of %s", example).isEmpty();
      assertThat(ReviewAppJson.parse(spec).violations()).as("violations of %s", example).isEmpty();
    }
  }

  @Test
  void everyBrokenSpecFailsTheSchemaAndTheValidatorAtTheExpectedPath() throws IOException {
    Map<String, String> expected = SpecFiles.expectedBrokenPaths();
    assertThat(expected.keySet())
        .containsExactlyInAnyOrderElementsOf(
            SpecFiles.broken().stream().map(p -> p.getFileName().toString()).toList());
    for (Path broken : SpecFiles.broken()) {
      byte[] spec = SpecFiles.read(broken);
      assertThat(schemaErrors(spec)).as("schema errors of %s", broken).isNotEmpty();
      ParseResult<ReviewApp> result = ReviewAppJson.parse(spec);
      assertThat(result).as("%s", broken).isInstanceOf(ParseResult.Invalid.class);
      assertThat(result.violations())
          .extracting(Violation::path)
          .as("violation paths of %s", broken)
          .contains(expected.get(broken.getFileName().toString()));
    }
  }

  @Test
  void schemaNumbersAreTheValidatorsBounds() {
    Map<String, Integer> expected = new java.util.LinkedHashMap<>();
    String process = "/$defs/process/properties";
    expected.put(process + "/count/minimum", Bounds.MIN_COUNT);
    expected.put(process + "/count/maximum", Bounds.MAX_COUNT);
    expected.put(process + "/count/default", ProcessSpec.DEFAULT_COUNT);
    expected.put(process + "/cpu/minimum", Bounds.MIN_CPU_MHZ);
    expected.put(process + "/cpu/maximum", Bounds.MAX_CPU_MHZ);
    expected.put(process + "/cpu/default", ProcessSpec.DEFAULT_CPU_MHZ);
    expected.put(process + "/memoryMB/minimum", Bounds.MIN_MEMORY_MB);
    expected.put(process + "/memoryMB/maximum", Bounds.MAX_MEMORY_MB);
    expected.put(process + "/memoryMB/default", ProcessSpec.DEFAULT_MEMORY_MB);
    expected.put(process + "/command/maxLength", Bounds.MAX_COMMAND_LENGTH);
    String spec = "/properties/spec/properties";
    expected.put(spec + "/branch/maxLength", Bounds.MAX_BRANCH_LENGTH);
    expected.put(spec + "/image/maxLength", Bounds.MAX_IMAGE_LENGTH);
    expected.put(spec + "/env/maxProperties", Bounds.MAX_ENV_VARS);
    expected.put(spec + "/env/propertyNames/maxLength", Bounds.MAX_ENV_NAME_LENGTH);
    expected.put(spec + "/env/additionalProperties/maxLength", Bounds.MAX_ENV_VALUE_LENGTH);
    expected.put(
        spec + "/processes/properties/web/properties/healthPath/maxLength",
        Bounds.MAX_HEALTH_PATH_LENGTH);
    String instance = spec + "/database/oneOf/1/properties/allocatedStorage";
    expected.put(instance + "/minimum", Bounds.MIN_ALLOCATED_STORAGE_GB);
    expected.put(instance + "/maximum", Bounds.MAX_ALLOCATED_STORAGE_GB);
    expected.put(instance + "/default", Database.Instance.DEFAULT_ALLOCATED_STORAGE_GB);
    expected.put("/properties/metadata/properties/labels/maxProperties", Bounds.MAX_LABELS);
    expected.forEach(
        (pointer, value) -> {
          // isInt first: a missing node reads as 0, which is a real bound (MIN_COUNT).
          assertThat(schemaTree.at(pointer).isInt()).as(pointer).isTrue();
          assertThat(schemaTree.at(pointer).intValue()).as(pointer).isEqualTo(value);
        });
    List<String> reserved = new ArrayList<>();
    schemaTree
        .at(spec + "/env/propertyNames/not/anyOf/0/enum")
        .forEach(name -> reserved.add(name.asText()));
    assertThat(reserved).containsExactlyInAnyOrderElementsOf(Bounds.RESERVED_ENV_NAMES);
  }

  @Test
  void schemaTtlPatternAcceptsExactlyWhatTheValidatorAccepts() {
    Pattern ttl = specPattern("ttl");
    // Every amount around both limits of each unit (10m; 90 days = 129600m = 2160h = 90d).
    assertThat(
            disagreements(
                ttl,
                IntStream.concat(
                    IntStream.rangeClosed(1, 2_000), IntStream.rangeClosed(127_000, 131_000)),
                2_500,
                text ->
                    Ttl.parse(text)
                        .map(t -> ReviewAppValidator.validate(withTtl(t)).isEmpty())
                        .orElse(false)))
        .isEmpty();
    assertThat(ttl.matcher("10m").matches()).isTrue();
    assertThat(ttl.matcher("9m").matches()).isFalse();
  }

  @Test
  void schemaSleepAfterPatternAcceptsExactlyWhatTheValidatorAccepts() {
    Pattern sleepAfter = specPattern("sleepAfter");
    // Every amount around both limits of each unit (5m; 30 days = 43200m = 720h = 30d).
    assertThat(
            disagreements(
                sleepAfter,
                IntStream.concat(
                    IntStream.rangeClosed(0, 2_000), IntStream.rangeClosed(42_000, 44_000)),
                1_000,
                text ->
                    dev.reviewapps.model.spec.SleepAfter.parse(text)
                        .map(
                            a ->
                                ReviewAppValidator.validate(
                                        SpecBuilder.valid().sleepAfter(Optional.of(a)).app())
                                    .isEmpty())
                        .orElse(false)))
        .isEmpty();
    assertThat(sleepAfter.matcher("0").matches()).isTrue();
    assertThat(sleepAfter.matcher("00").matches()).isFalse();
    assertThat(sleepAfter.matcher("4m").matches()).isFalse();
  }

  private static Pattern specPattern(String field) {
    return Pattern.compile(
        schemaTree.at("/properties/spec/properties/" + field + "/pattern").asText());
  }

  /**
   * The texts {@code amount+unit} (these minutes, 0 to {@code maxHours} hours, 0 to 100 days) on
   * which the schema's pattern and the validator disagree.
   */
  private static List<String> disagreements(
      Pattern pattern,
      IntStream minutes,
      int maxHours,
      java.util.function.Predicate<String> validatorAccepts) {
    Map<String, IntStream> amounts =
        Map.of(
            "m",
            minutes,
            "h",
            IntStream.rangeClosed(0, maxHours),
            "d",
            IntStream.rangeClosed(0, 100));
    List<String> disagreements = new ArrayList<>();
    amounts.forEach(
        (unit, range) ->
            range.forEach(
                amount -> {
                  String text = amount + unit;
                  if (pattern.matcher(text).matches() != validatorAccepts.test(text)) {
                    disagreements.add(text);
                  }
                }));
    return disagreements;
  }

  @Test
  void schemaBranchAndImagePatternsAgreeWithTheValidatorOnGeneratedStrings() {
    Pattern branch =
        Pattern.compile(schemaTree.at("/properties/spec/properties/branch/pattern").asText());
    Pattern image =
        Pattern.compile(schemaTree.at("/properties/spec/properties/image/pattern").asText());
    // Characters that matter to either grammar, weighted towards the ordinary ones.
    String alphabet = "abcXYZ019-_./:@{}~^?*[\\ \t\u007fé";
    java.util.Random random = new java.util.Random(11L);
    List<String> disagreements = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      StringBuilder text = new StringBuilder();
      for (int n = 1 + random.nextInt(14); n > 0; n--) {
        text.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String s = text.toString();
      List<Violation> asBranch = ReviewAppValidator.validate(withBranchAndImage(s, "a"));
      if (branch.matcher(s).matches() != asBranch.isEmpty()) {
        disagreements.add("branch " + s);
      }
      List<Violation> asImage = ReviewAppValidator.validate(withBranchAndImage("a", s));
      if (image.matcher(s).matches() != asImage.isEmpty()) {
        disagreements.add("image " + s);
      }
    }
    assertThat(disagreements).isEmpty();
  }

  @Test
  void everyExampleIsNamedAfterItsBranchAsCiWouldNameIt() {
    for (Path example : SpecFiles.examples()) {
      ReviewApp app = ReviewAppJson.parse(SpecFiles.read(example)).toOptional().orElseThrow();
      assertThat(app.name())
          .as("%s", example)
          .isEqualTo(AppName.fromBranch(app.spec().branch()).value());
    }
  }

  private static ReviewApp withBranchAndImage(String branch, String image) {
    return SpecBuilder.valid().branch(branch).image(image).app();
  }

  private static ReviewApp withTtl(Ttl ttl) {
    return SpecBuilder.valid().ttl(Optional.of(ttl)).app();
  }
}
