package dev.reviewapps.controller.git;

import java.util.regex.Pattern;

/** Removes credentials from repository URLs before they reach a message or a log line. */
final class Redaction {
  // scheme://user:secret@host → scheme://***@host; covers git's own error output too.
  private static final Pattern USER_INFO = Pattern.compile("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]+@");

  private Redaction() {}

  static String redact(String text, String... secrets) {
    String out = USER_INFO.matcher(text).replaceAll("$1***@");
    for (String secret : secrets) {
      if (secret != null && !secret.isEmpty()) {
        out = out.replace(secret, "***");
      }
    }
    return out;
  }
}
