package dev.reviewapps.controller.reviewapp.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class LogTailTest {

  @Test
  void connectionStringsPasswordsAndTokensAreRedacted() {
    assertThat(LogTail.redact("connecting to postgres://ra_app:Zx81pw@10.0.0.5:5432/ra_app"))
        .isEqualTo("connecting to postgres://ra_app:***@10.0.0.5:5432/ra_app");
    assertThat(LogTail.redact("redis://:hunter2@127.0.0.1:6379/0 up"))
        .isEqualTo("redis://:***@127.0.0.1:6379/0 up");
    assertThat(LogTail.redact("env DATABASE_URL=postgres://x@h/db ok"))
        .isEqualTo("env DATABASE_URL=*** ok");
    assertThat(LogTail.redact("PGPASSWORD=abc api_token: t0k3n AWS_SECRET_ACCESS_KEY=zzz"))
        .isEqualTo("PGPASSWORD=*** api_token: *** AWS_SECRET_ACCESS_KEY=***");
    assertThat(LogTail.redact("GET /health 200 in 3 ms")).isEqualTo("GET /health 200 in 3 ms");
    assertThat(LogTail.redact("see https://example.com/a:b@c"))
        .isEqualTo("see https://example.com/a:b@c");
  }

  @Test
  void onlyTheLastLinesOfALongLogAreKept() throws IOException {
    StringBuilder log = new StringBuilder();
    for (int i = 0; i < 100_000; i++) {
      log.append("line ").append(i).append('\n');
    }
    String tail =
        LogTail.tail(new ByteArrayInputStream(log.toString().getBytes(StandardCharsets.UTF_8)));
    assertThat(tail.split("\n")).hasSize(LogTail.MAX_LINES);
    assertThat(tail).startsWith("line 99960\n").endsWith("line 99999");
    assertThat(LogTail.tail(new ByteArrayInputStream(new byte[0]))).isEmpty();
  }

  @Test
  void aReadThatStartsInsideTheLogDropsItsFirstPartialLineAndCountsWhatItRead() {
    LogTail.Collector collector = new LogTail.Collector();
    byte[] chunk = "ne 7\nline 8\nline 9\n".getBytes(StandardCharsets.UTF_8);
    collector.add(chunk, chunk.length);
    assertThat(collector.text(true)).isEqualTo("line 8\nline 9");
    assertThat(collector.text(false)).isEqualTo("ne 7\nline 8\nline 9");
    assertThat(collector.total()).isEqualTo(chunk.length);
  }
}
