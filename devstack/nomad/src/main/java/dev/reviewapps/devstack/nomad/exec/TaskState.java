package dev.reviewapps.devstack.nomad.exec;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * A snapshot of one task's state, as Nomad's {@code TaskState}.
 *
 * @param state {@code pending}, {@code running} or {@code dead}
 * @param failed whether the task ended in failure
 * @param restarts how many times it was restarted
 * @param lastRestart when it was last restarted
 * @param startedAt when it last started
 * @param finishedAt when it became dead
 * @param events its event history, oldest first
 */
public record TaskState(
    String state,
    boolean failed,
    int restarts,
    Optional<Instant> lastRestart,
    Optional<Instant> startedAt,
    Optional<Instant> finishedAt,
    List<TaskEvent> events) {

  public TaskState {
    events = List.copyOf(events);
  }

  public boolean dead() {
    return state.equals("dead");
  }

  public boolean running() {
    return state.equals("running");
  }
}
