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
    Collector collector = new Collector();
    byte[] buffer = new byte[8192];
    int n;
    while ((n = in.read(buffer)) >= 0) {
      collector.add(buffer, n);
    }
    return collector.text(false);
  }

  /** Keeps the last {@link #MAX_BYTES} of what it is given, and counts all of it. */
  static final class Collector {
    private final ByteArrayOutputStream kept = new ByteArrayOutputStream();
    private long total;

    void add(byte[] data, int length) {
      kept.write(data, 0, length);
      total += length;
      if (kept.size() > 2 * MAX_BYTES) {
        byte[] all = kept.toByteArray();
        kept.reset();
        kept.write(all, all.length - MAX_BYTES, MAX_BYTES);
      }
    }

    /** Bytes given so far. */
    long total() {
      return total;
    }

    /**
     * The last lines, redacted.
     *
     * @param fromMiddle the bytes began inside the log, so the first line may be a part of one
     */
    String text(boolean fromMiddle) {
      List<String> lines =
          new java.util.ArrayList<>(
              Arrays.asList(kept.toString(StandardCharsets.UTF_8).split("\n", -1)));
      if (fromMiddle && !lines.isEmpty()) {
        lines.remove(0);
      }
      if (!lines.isEmpty() && lines.get(lines.size() - 1).isEmpty()) {
        lines.remove(lines.size() - 1);
      }
      List<String> last = lines.subList(Math.max(0, lines.size() - MAX_LINES), lines.size());
      return String.join("\n", last.stream().map(LogTail::redact).toList());
    }
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
