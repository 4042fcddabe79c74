package dev.reviewapps.controller.reviewapp.dashboard;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The last lines of one task's log, as the app page shows them.
 *
 * @param title which task, allocation and stream
 * @param text the last lines, redacted; empty when the log is
 */
public record LogTail(String title, String text) {
  /** Lines shown per log. */
  static final int MAX_LINES = 40;

  /** Bytes kept while reading: Nomad sends a log whole, the tail is what matters. */
  static final int MAX_BYTES = 32 * 1024;

  // An app may print its own connection strings or secrets: the dashboard never repeats them.
  private static final List<Pattern> SECRETS =
      List.of(
          // user:password@ in any URL (postgres://, redis://, https://).
          Pattern.compile("(?<keep>[A-Za-z][A-Za-z0-9+.-]*://[^/\\s:@]*:)[^@\\s/]+(?=@)"),
          // DATABASE_URL=..., REDIS_URL: ...
          Pattern.compile("(?i)(?<keep>\\b(?:DATABASE|REDIS)_URL\\s*[=:]\\s*)\\S+"),
          // PASSWORD=..., api_token: ..., AWS_SECRET_ACCESS_KEY=...
          Pattern.compile(
              "(?i)(?<keep>\\b[A-Z0-9_.-]*(?:PASSWORD|PASSWD|SECRET|TOKEN|API_KEY|ACCESS_KEY)"
                  + "[A-Z0-9_.-]*\\s*[=:]\\s*)\\S+"));

  /** The last {@link #MAX_LINES} lines of the stream, read to its end, redacted. */
  static String tail(InputStream in) throws IOException {
    ByteArrayOutputStream kept = new ByteArrayOutputStream();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      kept.write(buffer, 0, n);
      if (kept.size() > 2 * MAX_BYTES) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - MAX_BYTES, MAX_BYTES);
      }
    }
    String text = kept.toString(StandardCharsets.UTF_8);
    List<String> lines = Arrays.asList(text.split("\n", -1));
    if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
      lines = lines.subList(0, lines.size() - 1);
    }
    lines = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
    return String.join("\n", lines.stream().map(LogTail::redact).toList());
  }

  /** The line with every password, token and connection string replaced by {@code ***}. */
  static String redact(String line) {
    String out = line;
    for (Pattern p : SECRETS) {
      out = p.matcher(out).replaceAll("${keep}***");
    }
    return out;
  }
}
