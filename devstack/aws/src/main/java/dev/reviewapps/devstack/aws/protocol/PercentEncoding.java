package dev.reviewapps.devstack.aws.protocol;

import java.nio.charset.StandardCharsets;

/** RFC 3986 percent-encoding as AWS applies it: everything but {@code A-Z a-z 0-9 - _ . ~}. */
public final class PercentEncoding {
  private PercentEncoding() {}

  /**
   * Encodes a value.
   *
   * @param keepSlash leave {@code /} as it is (S3 object keys), or encode it too (SigV4)
   */
  public static String encode(String value, boolean keepSlash) {
    StringBuilder out = new StringBuilder();
    for (byte b : value.getBytes(StandardCharsets.UTF_8)) {
      char c = (char) (b & 0xff);
      if ((c >= 'A' && c <= 'Z')
          || (c >= 'a' && c <= 'z')
          || (c >= '0' && c <= '9')
          || c == '-'
          || c == '_'
          || c == '.'
          || c == '~'
          || (keepSlash && c == '/')) {
        out.append(c);
      } else {
        out.append('%').append(String.format("%02X", (int) c));
      }
    }
    return out.toString();
  }
}
