package dev.reviewapps.model.json;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.model.validation.JsonPath;
import dev.reviewapps.model.validation.Rule;
import dev.reviewapps.model.validation.Violation;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Reads the fields of one JSON object by name, recording a violation (with its path) for every
 * missing, mistyped or unknown field instead of stopping at the first, so that a document with five
 * mistakes yields five messages. Values it cannot read come back as placeholders ({@code ""}, the
 * default) that the caller builds records from; the placeholders' own rule breaks are then dropped
 * because a violation at that path exists already.
 *
 * <p>A <em>silent</em> reader stands for an object that is missing or mistyped: its parent already
 * reported it, so the fields inside are not reported again.
 */
final class ObjectFields {
  private final ObjectNode node;
  private final String path;
  private final List<Violation> out;
  private final boolean silent;
  private final Set<String> read = new HashSet<>();

  private ObjectFields(ObjectNode node, String path, List<Violation> out, boolean silent) {
    this.node = node;
    this.path = path;
    this.out = out;
    this.silent = silent;
  }

  /** A reader for {@code node} at {@code path}; reports a type violation if it is no object. */
  static ObjectFields of(JsonNode node, String path, List<Violation> out) {
    if (node instanceof ObjectNode object) {
      return new ObjectFields(object, path, out, false);
    }
    out.add(new Violation(path, Rule.TYPE, "must be an object, not " + describe(node)));
    return absent(path, out);
  }

  private static ObjectFields absent(String path, List<Violation> out) {
    return new ObjectFields(JsonNodeFactory.instance.objectNode(), path, out, true);
  }

  String path() {
    return path;
  }

  String pathOf(String field) {
    return JsonPath.field(path, field);
  }

  /** The field's value unless it is missing or JSON null; marks the field as known either way. */
  Optional<JsonNode> field(String name) {
    read.add(name);
    JsonNode value = node.get(name);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
  }

  /** Records a rule broken by the value of {@code field}. */
  void report(String field, Rule rule, String message) {
    out.add(new Violation(pathOf(field), rule, message));
  }

  void required(String name) {
    if (!silent) {
      out.add(new Violation(pathOf(name), Rule.REQUIRED, "required"));
    }
  }

  Optional<String> optionalString(String name) {
    return field(name).flatMap(value -> text(value, pathOf(name)));
  }

  /** The string, or {@code ""} after recording why there is none. */
  String requiredString(String name) {
    Optional<JsonNode> value = field(name);
    if (value.isEmpty()) {
      required(name);
      return "";
    }
    return text(value.get(), pathOf(name)).orElse("");
  }

  private Optional<String> text(JsonNode value, String at) {
    if (value.isTextual()) {
      return Optional.of(value.textValue());
    }
    typeMismatch(at, "a string", value);
    return Optional.empty();
  }

  /** The whole number in the field, {@code fallback} when it is missing or unreadable. */
  long optionalLong(String name, long fallback) {
    Optional<JsonNode> value = field(name);
    if (value.isEmpty()) {
      return fallback;
    }
    JsonNode number = value.get();
    if (!number.isIntegralNumber()) {
      typeMismatch(pathOf(name), "a whole number", number);
      return fallback;
    }
    if (!number.canConvertToLong()) {
      out.add(new Violation(pathOf(name), Rule.RANGE, "is far out of range"));
      return fallback;
    }
    return number.longValue();
  }

  /** As {@link #optionalLong}, for fields whose bounds fit in an int. */
  int optionalInt(String name, int fallback) {
    long value = optionalLong(name, fallback);
    if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
      out.add(new Violation(pathOf(name), Rule.RANGE, "is far out of range (got " + value + ")"));
      return fallback;
    }
    return (int) value;
  }

  Optional<ObjectFields> optionalObject(String name) {
    return field(name).map(value -> of(value, pathOf(name), out));
  }

  /** The nested object; a silent empty one after recording why there is none. */
  ObjectFields requiredObject(String name) {
    Optional<JsonNode> value = field(name);
    if (value.isEmpty()) {
      required(name);
      return absent(pathOf(name), out);
    }
    return of(value.get(), pathOf(name), out);
  }

  /** An object whose values are all strings, in document order; wrong entries are reported. */
  Map<String, String> stringMap(String name) {
    Map<String, String> map = new LinkedHashMap<>();
    optionalObject(name)
        .ifPresent(
            object ->
                object
                    .node
                    .fields()
                    .forEachRemaining(
                        entry -> {
                          String at = JsonPath.field(object.path, entry.getKey());
                          object.read.add(entry.getKey());
                          object
                              .text(entry.getValue(), at)
                              .ifPresent(text -> map.put(entry.getKey(), text));
                        }));
    return map;
  }

  /** The elements of an array field; reports a field that is not an array. */
  List<JsonNode> array(String name) {
    Optional<JsonNode> value = field(name);
    if (value.isEmpty()) {
      return List.of();
    }
    if (!value.get().isArray()) {
      typeMismatch(pathOf(name), "an array", value.get());
      return List.of();
    }
    List<JsonNode> elements = new ArrayList<>();
    value.get().elements().forEachRemaining(elements::add);
    return elements;
  }

  /** A string field that must hold one of {@code allowed}; empty if it is missing or another. */
  Optional<String> oneOf(String name, Collection<String> allowed) {
    Optional<JsonNode> value = field(name);
    if (value.isEmpty()) {
      required(name);
      return Optional.empty();
    }
    Optional<String> text = text(value.get(), pathOf(name));
    if (text.isPresent() && !allowed.contains(text.get())) {
      out.add(
          new Violation(
              pathOf(name),
              Rule.ONE_OF,
              "must be one of " + String.join(", ", allowed) + " (got \"" + text.get() + "\")"));
      return Optional.empty();
    }
    return text;
  }

  /** Marks every field as known: used when the variant that decides which fields exist is bad. */
  void ignoreRest() {
    node.fieldNames().forEachRemaining(read::add);
  }

  /** Reports every field of the object that was not asked for, with a suggestion if close. */
  void rejectUnknown() {
    node.fieldNames()
        .forEachRemaining(
            name -> {
              if (!read.contains(name)) {
                out.add(
                    new Violation(
                        JsonPath.field(path, name),
                        Rule.UNKNOWN_FIELD,
                        "unknown field" + suggestion(name)));
              }
            });
  }

  private String suggestion(String unknown) {
    return read.stream()
        .filter(known -> editDistance(known.toLowerCase(), unknown.toLowerCase()) <= 2)
        .sorted()
        .findFirst()
        .map(known -> "; did you mean \"" + known + "\"?")
        .orElse("");
  }

  private void typeMismatch(String at, String expected, JsonNode value) {
    out.add(new Violation(at, Rule.TYPE, "must be " + expected + ", not " + describe(value)));
  }

  private static String describe(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "an array";
      case OBJECT, POJO -> "an object";
      case STRING -> "a string";
      case NUMBER -> node.isIntegralNumber() ? "a whole number" : "a fraction";
      case BOOLEAN -> "a boolean";
      case NULL -> "null";
      case BINARY -> "binary data";
      case MISSING -> "nothing";
    };
  }

  /** Levenshtein distance, for "did you mean" on typos such as {@code proceses}. */
  private static int editDistance(String a, String b) {
    int[] previous = new int[b.length() + 1];
    int[] current = new int[b.length() + 1];
    for (int j = 0; j <= b.length(); j++) {
      previous[j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      current[0] = i;
      for (int j = 1; j <= b.length(); j++) {
        int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
        current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
      }
      int[] swap = previous;
      previous = current;
      current = swap;
    }
    return previous[b.length()];
  }
}
