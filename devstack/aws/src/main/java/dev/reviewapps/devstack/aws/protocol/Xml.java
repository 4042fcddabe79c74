package dev.reviewapps.devstack.aws.protocol;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Deque;

/**
 * Writes the small XML documents AWS answers with. Elements are opened and closed explicitly;
 * {@link #leaf} writes an element holding text, escaped.
 */
public final class Xml {
  private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
  private final Deque<String> open = new ArrayDeque<>();

  /** Opens the root element with the service's namespace. */
  public static Xml document(String root, String namespace) {
    Xml xml = new Xml();
    xml.out.append('<').append(root).append(" xmlns=\"").append(namespace).append("\">");
    xml.open.push(root);
    return xml;
  }

  /** Opens the root element without a namespace (S3's error documents have none). */
  public static Xml document(String root) {
    return new Xml().open(root);
  }

  public Xml open(String name) {
    out.append('<').append(name).append('>');
    open.push(name);
    return this;
  }

  public Xml close() {
    out.append("</").append(open.pop()).append('>');
    return this;
  }

  /** An element with text content. */
  public Xml leaf(String name, Object value) {
    out.append('<').append(name).append('>');
    escape(String.valueOf(value));
    out.append("</").append(name).append('>');
    return this;
  }

  /** An element with a timestamp in the ISO 8601 form AWS uses, milliseconds included. */
  public Xml time(String name, Instant value) {
    return leaf(name, value.truncatedTo(ChronoUnit.MILLIS).toString());
  }

  /** Closes every open element and returns the document as UTF-8. */
  public byte[] bytes() {
    while (!open.isEmpty()) {
      close();
    }
    return out.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void escape(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\r' -> out.append("&#13;");
        default -> out.append(c);
      }
    }
  }
}
