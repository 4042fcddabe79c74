package dev.reviewapps.model.validation;

import java.util.regex.Pattern;

/**
 * Builds the JSON paths used in violations: {@code $.spec.env.RAILS_ENV}, and bracket notation
 * ({@code $.spec.env['not a name']}) for keys that are not plain identifiers, so that every key can
 * be named unambiguously.
 */
public final class JsonPath {

  /** The path of the document itself. */
  public static final String ROOT = "$";

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private JsonPath() {}

  /** The path of field {@code name} of the object at {@code parent}. */
  public static String field(String parent, String name) {
    if (PLAIN.matcher(name).matches()) {
      return parent + "." + name;
    }
    StringBuilder quoted = new StringBuilder(parent).append("['");
    name.codePoints()
        .forEach(
            c -> {
              if (c == '\'' || c == '\\') {
                quoted.append('\\').appendCodePoint(c);
              } else if (c < 0x20 || c == 0x7f) {
                quoted.append(String.format("\\u%04x", c));
              } else {
                quoted.appendCodePoint(c);
              }
            });
    return quoted.append("']").toString();
  }

  /** The path of element {@code index} of the array at {@code parent}. */
  public static String index(String parent, int index) {
    return parent + "[" + index + "]";
  }

  /** True when {@code path} is {@code ancestor} or lies below it. */
  public static boolean isWithin(String path, String ancestor) {
    return path.equals(ancestor)
        || path.startsWith(ancestor + ".")
        || path.startsWith(ancestor + "[");
  }
}
