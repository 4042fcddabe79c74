package dev.reviewapps.devstack.http;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP answer: status, headers and body. Immutable; the {@code with…} methods return copies. */
public record Reply(int status, Map<String, String> headers, byte[] body) {

  public Reply {
    headers = Map.copyOf(headers);
  }

  /** A reply with a body of the given content type. */
  public static Reply of(int status, String contentType, byte[] body) {
    return new Reply(status, Map.of("Content-Type", contentType), body);
  }

  /** A {@code text/plain} reply, the shape Consul and Nomad use for most errors. */
  public static Reply text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** An {@code application/json} reply of already serialised JSON. */
  public static Reply json(int status, byte[] json) {
    return of(status, "application/json", json);
  }

  /** A reply with no body. */
  public static Reply empty(int status) {
    return new Reply(status, Map.of(), new byte[0]);
  }

  /** This reply with one more header (replacing one of the same name). */
  public Reply withHeader(String name, String value) {
    Map<String, String> copy = new LinkedHashMap<>(headers);
    copy.put(name, value);
    return new Reply(status, copy, body);
  }
}
