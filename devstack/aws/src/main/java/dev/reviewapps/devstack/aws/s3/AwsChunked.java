package dev.reviewapps.devstack.aws.s3;

import dev.reviewapps.devstack.aws.protocol.AwsError;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Decodes an {@code aws-chunked} body: chunks of {@code <hex
 * size>[;chunk-signature=…]\r\n<data>\r\n} ending with a zero-size chunk, optionally followed by
 * trailing headers such as {@code x-amz-checksum-crc32:…}. The SDK sends this over plain HTTP
 * unless chunked encoding is turned off. Chunk signatures are not checked; the seed signature in
 * the Authorization header is.
 *
 * @param data the object's bytes
 * @param trailers the trailing headers, names lower-cased
 */
public record AwsChunked(byte[] data, Map<String, String> trailers) {

  /** Whether a request's body is aws-chunked, judged by its headers. */
  public static boolean isChunked(String contentEncoding, String contentSha256) {
    return contentEncoding.toLowerCase(java.util.Locale.ROOT).contains("aws-chunked")
        || contentSha256.startsWith("STREAMING-");
  }

  /**
   * Decodes a whole body.
   *
   * @throws AwsError {@code IncompleteBody} when the body is cut short or malformed
   */
  public static AwsChunked decode(byte[] body) {
    ByteArrayOutputStream data = new ByteArrayOutputStream(body.length);
    int at = 0;
    while (true) {
      int lineEnd = lineEnd(body, at);
      String header = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
      int semicolon = header.indexOf(';');
      String hex = (semicolon < 0 ? header : header.substring(0, semicolon)).trim();
      int size;
      try {
        size = Integer.parseInt(hex, 16);
      } catch (NumberFormatException e) {
        throw incomplete();
      }
      at = lineEnd + 2;
      if (size == 0) {
        break;
      }
      if (at + size + 2 > body.length) {
        throw incomplete();
      }
      data.write(body, at, size);
      at += size + 2;
    }
    Map<String, String> trailers = new LinkedHashMap<>();
    while (at < body.length) {
      int lineEnd = lineEnd(body, at);
      String line = new String(body, at, lineEnd - at, StandardCharsets.US_ASCII);
      at = lineEnd + 2;
      int colon = line.indexOf(':');
      if (colon > 0) {
        trailers.put(
            line.substring(0, colon).trim().toLowerCase(java.util.Locale.ROOT),
            line.substring(colon + 1).trim());
      }
    }
    return new AwsChunked(data.toByteArray(), trailers);
  }

  private static int lineEnd(byte[] body, int from) {
    for (int i = from; i + 1 < body.length; i++) {
      if (body[i] == '\r' && body[i + 1] == '\n') {
        return i;
      }
    }
    // A last line without CRLF (some clients omit the final one).
    if (from < body.length) {
      return body.length;
    }
    throw incomplete();
  }

  private static AwsError incomplete() {
    return new AwsError(
        400,
        "IncompleteBody",
        "The request body terminated unexpectedly or is not valid aws-chunked encoding");
  }
}
