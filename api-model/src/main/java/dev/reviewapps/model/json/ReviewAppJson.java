package dev.reviewapps.model.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.status.ReviewAppStatus;
import dev.reviewapps.model.validation.Bounds;
import dev.reviewapps.model.validation.JsonPath;
import dev.reviewapps.model.validation.ReviewAppValidator;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The JSON form of ReviewApp specs and statuses, as stored in Consul KV.
 *
 * <p>Reading never throws for any input: bad bytes, bad JSON, unknown or mistyped fields and broken
 * rules all come back as {@link ParseResult.Invalid} with every violation found. Writing is stable:
 * the same record always gives the same bytes (fixed field order, maps sorted, absent fields left
 * out), and {@code parse(write(app))} gives {@code app} back.
 */
public final class ReviewAppJson {
  private ReviewAppJson() {}

  // Bounds on the parser itself, so that hostile input cannot make it work hard: a spec is a
  // few levels deep and nothing in it is longer than the document limit.
  private static final ObjectMapper MAPPER =
      new ObjectMapper(
              JsonFactory.builder()
                  .streamReadConstraints(
                      StreamReadConstraints.builder()
                          .maxNestingDepth(32)
                          .maxStringLength(Bounds.MAX_SPEC_BYTES)
                          .maxNumberLength(64)
                          .build())
                  .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
                  .build())
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .disable(SerializationFeature.INDENT_OUTPUT);

  /** Reads a spec; the app in {@link ParseResult.Parsed} has passed every rule. */
  public static ParseResult<ReviewApp> parse(byte[] json) {
    return read(
        json,
        (tree, out) -> {
          ReviewApp app = SpecReader.read(tree, out);
          withoutRepeats(out, ReviewAppValidator.validate(app));
          return app;
        });
  }

  /** {@link #parse(byte[])} of the UTF-8 encoding of {@code json}. */
  public static ParseResult<ReviewApp> parse(String json) {
    return parse(json.getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a status as the controller wrote it. */
  public static ParseResult<ReviewAppStatus> parseStatus(byte[] json) {
    return read(json, StatusCodec::read);
  }

  /** The spec as compact UTF-8 JSON, the form stored in Consul. */
  public static byte[] write(ReviewApp app) {
    return bytes(SpecWriter.write(app), false);
  }

  /** The spec as indented JSON, for people (reviewctl, examples). */
  public static String writePretty(ReviewApp app) {
    return new String(bytes(SpecWriter.write(app), true), StandardCharsets.UTF_8);
  }

  /** The status as compact UTF-8 JSON. */
  public static byte[] writeStatus(ReviewAppStatus status) {
    return bytes(StatusCodec.write(status), false);
  }

  /**
   * Every violation of an app built in code: the rules of {@link ReviewAppValidator} plus the size
   * of its JSON against Consul's value limit.
   */
  public static List<Violation> validate(ReviewApp app) {
    List<Violation> out = new ArrayList<>(ReviewAppValidator.validate(app));
    int size = write(app).length;
    if (size > Bounds.MAX_SPEC_BYTES) {
      out.add(tooLarge(size));
    }
    return List.copyOf(out);
  }

  private static <T> ParseResult<T> read(
      byte[] json, BiFunction<JsonNode, List<Violation>, T> reader) {
    if (json.length > Bounds.MAX_SPEC_BYTES) {
      return new ParseResult.Invalid<>(List.of(tooLarge(json.length)));
    }
    JsonNode tree;
    try {
      tree = MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      return new ParseResult.Invalid<>(List.of(syntax(e.getOriginalMessage(), e.getLocation())));
    } catch (IOException e) {
      // Bytes that are no text in any JSON encoding end here (CharConversionException).
      return new ParseResult.Invalid<>(List.of(syntax(e.getMessage(), null)));
    }
    List<Violation> out = new ArrayList<>();
    T value = reader.apply(tree, out);
    return out.isEmpty() ? new ParseResult.Parsed<>(value) : new ParseResult.Invalid<>(out);
  }

  /**
   * Adds the rule violations of a document that also had structural ones, except those at or below
   * a path already reported: a missing field read as {@code ""} must not also be "blank".
   */
  private static void withoutRepeats(List<Violation> structural, List<Violation> rules) {
    List<Violation> reported = List.copyOf(structural);
    for (Violation v : rules) {
      if (reported.stream().noneMatch(r -> JsonPath.isWithin(v.path(), r.path()))) {
        structural.add(v);
      }
    }
  }

  private static Violation tooLarge(int size) {
    return new Violation(
        JsonPath.ROOT,
        Rule.TOO_LARGE,
        "is " + size + " bytes; at most " + Bounds.MAX_SPEC_BYTES + " (Consul's value limit)");
  }

  private static Violation syntax(String problem, JsonLocation where) {
    String at =
        where == null || where.getLineNr() < 0
            ? ""
            : " at line " + where.getLineNr() + ", column " + where.getColumnNr();
    String what = problem == null ? "unreadable input" : firstLine(problem);
    return new Violation(JsonPath.ROOT, Rule.JSON_SYNTAX, "is not valid JSON" + at + ": " + what);
  }

  private static String firstLine(String s) {
    int newline = s.indexOf('\n');
    String line = newline < 0 ? s : s.substring(0, newline);
    return line.length() <= 200 ? line : line.substring(0, 200) + "...";
  }

  private static byte[] bytes(JsonNode tree, boolean pretty) {
    try {
      return pretty
          ? MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(tree)
          : MAPPER.writeValueAsBytes(tree);
    } catch (JsonProcessingException e) {
      // A tree of strings and numbers always serializes; this would be a bug in Jackson.
      throw new UncheckedIOException(e);
    }
  }
}
