package dev.reviewapps.devstack.nomad.job;

/**
 * A port a group or task asks for.
 *
 * @param label the port label, e.g. {@code http}
 * @param staticValue the host port of a reserved (static) port, 0 for a dynamic one
 * @param to the port inside the task's network namespace ({@code To}); kept and reported only
 */
public record PortSpec(String label, int staticValue, int to) {
  /** Whether the scheduler picks the value. */
  public boolean dynamic() {
    return staticValue == 0;
  }
}
