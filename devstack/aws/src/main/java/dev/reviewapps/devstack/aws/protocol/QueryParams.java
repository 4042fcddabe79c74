package dev.reviewapps.devstack.aws.protocol;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The parameters of one Query-protocol request ({@code Action=…&Version=…&…}). Lists arrive
 * flattened with 1-based indexes, either as {@code Names.member.1} or with a member name such as
 * RDS's {@code Tags.Tag.1.Key}; {@link #list} reads both.
 */
public final class QueryParams {
  private final Map<String, String> values;

  private QueryParams(Map<String, String> values) {
    this.values = values;
  }

  /** Parses a form-encoded body ({@code application/x-www-form-urlencoded}). */
  public static QueryParams parseForm(String form) {
    Map<String, String> values = new LinkedHashMap<>();
    for (String pair : form.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      values.putIfAbsent(decode(name), decode(value));
    }
    return new QueryParams(values);
  }

  /** Parameters already decoded (from a URL query string). */
  public static QueryParams of(Map<String, String> values) {
    return new QueryParams(new LinkedHashMap<>(values));
  }

  private static String decode(String s) {
    return URLDecoder.decode(s, StandardCharsets.UTF_8);
  }

  public Optional<String> get(String name) {
    return Optional.ofNullable(values.get(name));
  }

  /** A parameter the action cannot do without; missing, it is AWS's {@code MissingParameter}. */
  public String required(String name) {
    return get(name).filter(v -> !v.isEmpty()).orElseThrow(() -> AwsError.missingParameter(name));
  }

  public Optional<Integer> integer(String name) {
    return get(name).map(v -> parseInt(name, v));
  }

  public Optional<Boolean> bool(String name) {
    return get(name).map(Boolean::parseBoolean);
  }

  private static int parseInt(String name, String value) {
    try {
      return Integer.parseInt(value);
    } catch (NumberFormatException e) {
      throw AwsError.invalidParameter(
          "Invalid value '" + value + "' for parameter " + name + ": not an integer.");
    }
  }

  /**
   * The items of a list parameter, in index order, each as the parameters below its index: for
   * {@code Tags.Tag.1.Key=a&Tags.Tag.1.Value=b}, {@code list("Tags")} gives one item whose {@code
   * get("Key")} is {@code a}. A list of plain strings gives items whose value is under {@code ""}.
   */
  public List<QueryParams> list(String name) {
    TreeMap<Integer, Map<String, String>> items = new TreeMap<>();
    String prefix = name + ".";
    values.forEach(
        (key, value) -> {
          if (!key.startsWith(prefix)) {
            return;
          }
          String[] parts = key.substring(prefix.length()).split("\\.", -1);
          int at = isIndex(parts[0]) ? 0 : 1;
          if (parts.length <= at || !isIndex(parts[at])) {
            return;
          }
          String rest = String.join(".", List.of(parts).subList(at + 1, parts.length));
          items
              .computeIfAbsent(Integer.parseInt(parts[at]), i -> new LinkedHashMap<>())
              .put(rest, value);
        });
    List<QueryParams> result = new ArrayList<>();
    items.values().forEach(m -> result.add(new QueryParams(m)));
    return result;
  }

  /** A list of plain strings such as {@code AutoScalingGroupNames.member.N}. */
  public List<String> strings(String name) {
    return list(name).stream().map(p -> p.get("").orElse("")).toList();
  }

  private static boolean isIndex(String s) {
    return !s.isEmpty() && s.chars().allMatch(Character::isDigit);
  }
}
