package dev.reviewapps.consul;

import java.nio.charset.StandardCharsets;

/**
 * A Consul KV key made safe for the URL path that consul-api builds from it. consul-api puts keys
 * into URLs as they are, so {@code specs/a?x} would reach Consul as key {@code specs/a} plus a
 * query, and {@code a#b} as {@code a}. Every byte outside RFC 3986's unreserved set is
 * percent-encoded here ({@code /} kept as the separator), so each key reaches Consul as itself.
 *
 * <p>Keys with a {@code .} or {@code ..} segment or a control character are refused: HTTP clients
 * and servers may resolve dot segments (Go's router redirects {@code /v1/kv/a/../b} to {@code
 * /v1/kv/b}), and no key review-apps builds ever holds one.
 */
final class KeyPath {
  private static final char[] HEX = "0123456789ABCDEF".toCharArray();

  private KeyPath() {}

  /** The key's URL path form; {@code what} names it in the error. */
  static String encode(String key) {
    for (String segment : key.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) {
        throw new IllegalArgumentException(
            "refusing Consul key " + quoted(key) + ": a '.' or '..' segment");
      }
    }
    StringBuilder out = new StringBuilder(key.length() + 16);
    for (byte b : key.getBytes(StandardCharsets.UTF_8)) {
      int c = b & 0xff;
      if (c < 0x20 || c == 0x7f) {
        throw new IllegalArgumentException(
            "refusing Consul key " + quoted(key) + ": a control character");
      }
      if (unreserved(c) || c == '/') {
        out.append((char) c);
      } else {
        out.append('%').append(HEX[c >> 4]).append(HEX[c & 0xf]);
      }
    }
    return out.toString();
  }

  private static boolean unreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static String quoted(String key) {
    StringBuilder out = new StringBuilder("\"");
    key.codePoints()
        .limit(80)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f) {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append('"').toString();
  }
}
