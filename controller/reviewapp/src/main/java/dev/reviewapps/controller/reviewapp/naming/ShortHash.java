package dev.reviewapps.controller.reviewapp.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Hex SHA-256 prefixes: the suffix that keeps cut or cleaned-up resource names one-to-one with app
 * names, and the release and spec digests of Nomad jobs.
 */
public final class ShortHash {
  private ShortHash() {}

  /** The first {@code length} hex digits of the SHA-256 of {@code text} (UTF-8). */
  public static String of(String text, int length) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)))
          .substring(0, length);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every JVM has SHA-256", e);
    }
  }
}
