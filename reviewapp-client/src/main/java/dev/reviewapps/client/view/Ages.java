package dev.reviewapps.client.view;

import java.time.Duration;

/** Ages as kubectl prints them, for reviewctl and the dashboard alike. */
public final class Ages {
  private Ages() {}

  /** A short age: {@code 42s}, {@code 5m}, {@code 3h}, {@code 2d}; negative counts as 0. */
  public static String of(Duration d) {
    long s = Math.max(0, d.toSeconds());
    if (s < 120) {
      return s + "s";
    }
    if (s < 120 * 60) {
      return s / 60 + "m";
    }
    if (s < 48 * 3600) {
      return s / 3600 + "h";
    }
    return s / 86400 + "d";
  }
}
