package dev.reviewapps.devstack.nomad.exec;

import java.util.Map;

/**
 * One entry of a task's event history, as Nomad's {@code TaskEvent}.
 *
 * @param type e.g. {@code Started}, {@code Terminated}, {@code Restarting}, {@code Killed}
 * @param timeNanos when, in Unix nanoseconds
 * @param message the human-readable {@code DisplayMessage}
 * @param exitCode the exit code of a {@code Terminated} event, else 0
 * @param signal the signal that ended the process, else 0
 * @param failsTask whether this event failed the task
 * @param startDelayNanos for {@code Restarting}, the wait before the restart
 * @param details the event's {@code Details} map
 */
public record TaskEvent(
    String type,
    long timeNanos,
    String message,
    int exitCode,
    int signal,
    boolean failsTask,
    long startDelayNanos,
    Map<String, String> details) {

  public TaskEvent {
    details = Map.copyOf(details);
  }

  /** An event with only a type and message, stamped now. */
  static TaskEvent of(String type, String message) {
    return new TaskEvent(type, nowNanos(), message, 0, 0, false, 0, Map.of());
  }

  static long nowNanos() {
    java.time.Instant now = java.time.Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }
}
