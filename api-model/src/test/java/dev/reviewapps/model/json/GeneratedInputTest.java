package dev.reviewapps.model.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.SpecFiles;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.validation.Violation;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * Generated input, from a fixed seed so that a failure can be replayed: whatever bytes or JSON the
 * parser is given, it answers with a result (violations with a path and a message), never an
 * exception.
 */
class GeneratedInputTest {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  /** Field names of the spec mixed with near misses, so that generated objects go deep. */
  private static final List<String> KEYS =
      List.of(
          "apiVersion",
          "kind",
          "metadata",
          "name",
          "labels",
          "spec",
          "branch",
          "commit",
          "image",
          "database",
          "mode",
          "template",
          "instanceClass",
          "allocatedStorage",
          "engineVersion",
          "snapshotIdentifier",
          "redis",
          "release",
          "migrate",
          "seed",
          "predestroy",
          "processes",
          "web",
          "worker",
          "command",
          "count",
          "cpu",
          "memoryMB",
          "healthPath",
          "env",
          "ttl",
          "proceses",
          "PORT",
          "",
          "a b",
          "$",
          "'",
          "\u0000",
          "é");

  private static final List<String> STRINGS =
      List.of(
          "reviewapps/v1",
          "ReviewApp",
          "shared",
          "instance",
          "snapshot",
          "deploy-x",
          "72h",
          "0m",
          "redis:7",
          "db.t3.micro",
          "abcdef1",
          "/health",
          "",
          " ",
          "\u0000",
          "x".repeat(300),
          "NaN",
          "-1",
          "..",
          "@{",
          "\uD83D\uDE00");

  private static void assertIsAnAnswer(ParseResult<?> result, String input) {
    assertThat(result).as(input).isNotNull();
    for (Violation v : result.violations()) {
      assertThat(v.path()).as(input).startsWith("$");
      assertThat(v.message()).as(input).isNotBlank();
    }
  }

  @Test
  void randomBytesEndInAViolationNeverAnException() {
    Random random = new Random(20261126L);
    for (int i = 0; i < 3000; i++) {
      byte[] bytes = new byte[random.nextInt(300)];
      random.nextBytes(bytes);
      ParseResult<ReviewApp> result = ReviewAppJson.parse(bytes);
      assertIsAnAnswer(result, "case " + i);
      assertThat(result).as("case %d", i).isInstanceOf(ParseResult.Invalid.class);
      assertIsAnAnswer(ReviewAppJson.parseStatus(bytes), "status case " + i);
    }
  }

  @Test
  void randomJsonDocumentsEndInViolationsNeverAnException() {
    Random random = new Random(42L);
    for (int i = 0; i < 3000; i++) {
      JsonNode document = randomValue(random, 0);
      byte[] bytes = document.toString().getBytes(StandardCharsets.UTF_8);
      ParseResult<ReviewApp> result = ReviewAppJson.parse(bytes);
      assertIsAnAnswer(result, document.toString());
      assertThat(result).as(document.toString()).isInstanceOf(ParseResult.Invalid.class);
      assertIsAnAnswer(ReviewAppJson.parseStatus(bytes), document.toString());
    }
  }

  @Test
  void mutatedExampleSpecsAreEitherValidAndRoundTripOrInvalidWithPaths() throws Exception {
    Random random = new Random(7L);
    List<JsonNode> examples = new ArrayList<>();
    for (var file : SpecFiles.examples()) {
      examples.add(JSON.readTree(SpecFiles.read(file)));
    }
    int valid = 0;
    for (int i = 0; i < 2000; i++) {
      JsonNode spec = examples.get(random.nextInt(examples.size())).deepCopy();
      for (int m = 1 + random.nextInt(3); m > 0; m--) {
        mutate(spec, random);
      }
      ParseResult<ReviewApp> result = ReviewAppJson.parse(spec.toString());
      assertIsAnAnswer(result, spec.toString());
      if (result instanceof ParseResult.Parsed<ReviewApp> parsed) {
        valid++;
        byte[] written = ReviewAppJson.write(parsed.value());
        assertThat(ReviewAppJson.parse(written).toOptional()).contains(parsed.value());
      }
    }
    // Some mutations keep a spec valid (a changed label, a removed optional field): both branches
    // of the property were exercised.
    assertThat(valid).isBetween(1, 1999);
  }

  @Test
  void everyPrefixOfAValidSpecIsInvalidNotAnException() {
    byte[] spec = SpecFiles.read(SpecFiles.EXAMPLES.resolve("rds-instance.json"));
    for (int length = 0; length < spec.length - 2; length++) {
      byte[] prefix = java.util.Arrays.copyOf(spec, length);
      assertThat(ReviewAppJson.parse(prefix)).isInstanceOf(ParseResult.Invalid.class);
    }
  }

  @Test
  void deeplyNestedInputIsRefusedAsJsonNotByAStackOverflow() {
    String deep = "[".repeat(100_000) + "]".repeat(100_000);
    assertThat(ReviewAppJson.parse(deep).violations()).isNotEmpty();
    String deepObject = "{\"a\":".repeat(50_000) + "1" + "}".repeat(50_000);
    assertThat(ReviewAppJson.parseStatus(deepObject.getBytes(StandardCharsets.UTF_8)))
        .isInstanceOf(ParseResult.Invalid.class);
  }

  @Test
  void randomStatusDocumentsNeverThrowAndWrittenStatusesReadBack() {
    Random random = new Random(99L);
    for (int i = 0; i < 1000; i++) {
      ObjectNode status = NODES.objectNode();
      status.put(
          "phase", random.nextBoolean() ? "Ready" : STRINGS.get(random.nextInt(STRINGS.size())));
      status.set("observedIndex", randomScalar(random));
      ArrayNode conditions = status.putArray("conditions");
      for (int c = random.nextInt(4); c > 0; c--) {
        conditions.add(randomValue(random, 2));
      }
      ParseResult<ReviewAppStatus> result =
          ReviewAppJson.parseStatus(status.toString().getBytes(StandardCharsets.UTF_8));
      assertIsAnAnswer(result, status.toString());
      result
          .toOptional()
          .ifPresent(
              s ->
                  assertThat(ReviewAppJson.parseStatus(ReviewAppJson.writeStatus(s)).toOptional())
                      .contains(s));
    }
  }

  private static JsonNode randomValue(Random random, int depth) {
    int kind = random.nextInt(depth > 5 ? 5 : 8);
    if (kind < 5) {
      return randomScalar(random);
    }
    if (kind == 5) {
      ArrayNode array = NODES.arrayNode();
      for (int i = random.nextInt(4); i > 0; i--) {
        array.add(randomValue(random, depth + 1));
      }
      return array;
    }
    ObjectNode object = NODES.objectNode();
    for (int i = random.nextInt(6); i > 0; i--) {
      object.set(KEYS.get(random.nextInt(KEYS.size())), randomValue(random, depth + 1));
    }
    return object;
  }

  private static JsonNode randomScalar(Random random) {
    return switch (random.nextInt(9)) {
      case 0 -> NODES.nullNode();
      case 1 -> NODES.booleanNode(random.nextBoolean());
      case 2 -> NODES.numberNode(random.nextInt(40) - 5);
      case 3 -> NODES.numberNode(random.nextLong());
      case 4 -> NODES.numberNode(random.nextDouble() * 1e6);
      case 5 -> NODES.numberNode(new java.math.BigInteger(100, random));
      default -> NODES.textNode(STRINGS.get(random.nextInt(STRINGS.size())));
    };
  }

  /** Replaces, removes or adds one field somewhere in the tree. */
  private static void mutate(JsonNode root, Random random) {
    ObjectNode target = (ObjectNode) root;
    // Walk down a random path of objects.
    while (random.nextInt(4) != 0) {
      List<String> objectFields = new ArrayList<>();
      for (Iterator<String> names = target.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (target.get(name).isObject()) {
          objectFields.add(name);
        }
      }
      if (objectFields.isEmpty()) {
        break;
      }
      target = (ObjectNode) target.get(objectFields.get(random.nextInt(objectFields.size())));
    }
    List<String> names = new ArrayList<>();
    target.fieldNames().forEachRemaining(names::add);
    switch (random.nextInt(3)) {
      case 0 -> {
        if (!names.isEmpty()) {
          target.remove(names.get(random.nextInt(names.size())));
        }
      }
      case 1 -> {
        if (!names.isEmpty()) {
          target.set(names.get(random.nextInt(names.size())), randomValue(random, 3));
        }
      }
      default -> target.set(KEYS.get(random.nextInt(KEYS.size())), randomValue(random, 3));
    }
  }
}
