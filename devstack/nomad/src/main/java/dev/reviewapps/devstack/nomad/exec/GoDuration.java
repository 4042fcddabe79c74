package dev.reviewapps.devstack.nomad.exec;

import java.time.Duration;

/** Durations written as Go's {@code time.Duration.String()} does, as Nomad's messages show them. */
final class GoDuration {
  private GoDuration() {}

  static String format(Duration d) {
    if (d.isZero()) {
      return "0s";
    }
    long hours = d.toHours();
    int minutes = d.toMinutesPart();
    int seconds = d.toSecondsPart();
    int millis = d.toMillisPart();
    String secondsText = millis == 0 ? seconds + "s" : String.format("%d.%03ds", seconds, millis);
    if (hours > 0) {
      return hours + "h" + minutes + "m" + secondsText;
    }
    if (minutes > 0) {
      return minutes + "m" + secondsText;
    }
    if (seconds == 0 && millis > 0) {
      return millis + "ms";
    }
    return secondsText;
  }
}
