package dev.reviewapps.controller.reviewapp.dashboard;

import dev.reviewapps.model.status.Condition;
import java.util.List;
import java.util.Optional;

/**
 * One app's page: its row, what it runs, its conditions, its last rollouts, its Nomad allocations
 * and the tail of its web and worker logs. Nothing secret: no password, token or {@code
 * DATABASE_URL} is read to build it, and log lines pass through {@link LogTail#redact}.
 *
 * @param nomadProblem why allocations and logs are missing (Nomad unreachable), if they are
 */
public record AppPage(
    AppRow row,
    List<Detail> details,
    List<Condition> conditions,
    List<RolloutRow> rollouts,
    List<AllocationRow> allocations,
    List<LogTail> logs,
    Optional<String> nomadProblem,
    List<String> commands) {

  /** A labelled line of what the app is and runs. */
  public record Detail(String label, String value) {}

  /** One rollout, newest first. */
  public record RolloutRow(
      String commit, String started, String outcome, String took, String steps, String message) {}

  /** One Nomad allocation of the app. */
  public record AllocationRow(
      String id,
      String job,
      String group,
      String status,
      String desired,
      String health,
      String age) {}
}
