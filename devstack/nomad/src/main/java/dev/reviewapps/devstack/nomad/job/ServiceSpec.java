package dev.reviewapps.devstack.nomad.job;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A service of a group or task, with the checks the stand-in runs.
 *
 * @param name the service name
 * @param portLabel the label of the port the service is on
 * @param task the task the service belongs to, for task-level services
 * @param checks its checks
 */
public record ServiceSpec(
    String name, String portLabel, Optional<String> task, List<CheckSpec> checks) {

  public ServiceSpec {
    checks = List.copyOf(checks);
  }

  /**
   * One check. Only {@code http} checks run; others stay pending and are reported so.
   *
   * @param name the check name
   * @param type {@code http}, {@code tcp}, {@code script}, …
   * @param path the HTTP path
   * @param method the HTTP method, {@code GET} unless given
   * @param portLabel the port the check targets, the service's unless given
   * @param interval time between runs
   * @param timeout how long one run may take
   */
  public record CheckSpec(
      String name,
      String type,
      String path,
      String method,
      String portLabel,
      Duration interval,
      Duration timeout) {}
}
