package dev.reviewapps.devstack.nomad.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A task group: the unit that is placed as one allocation.
 *
 * @param name the group name
 * @param count how many allocations the job wants of it
 * @param tasks its tasks in submission order
 * @param restart the group's restart policy, the default for its tasks
 * @param ports group network ports ({@code TaskGroup.Networks})
 * @param services group services with their checks
 * @param meta the group's {@code Meta}
 */
public record GroupSpec(
    String name,
    int count,
    List<TaskSpec> tasks,
    RestartPolicy restart,
    List<PortSpec> ports,
    List<ServiceSpec> services,
    Map<String, String> meta,
    Duration shutdownDelay,
    java.util.Optional<UpdateSpec> update) {

  public GroupSpec {
    tasks = List.copyOf(tasks);
    ports = List.copyOf(ports);
    services = List.copyOf(services);
    meta = Map.copyOf(meta);
    Objects.requireNonNull(shutdownDelay, "shutdownDelay");
    Objects.requireNonNull(update, "update");
  }

  /** Canaries to start when the group changes: 0 without an update block that asks for some. */
  public int canaries() {
    return update.map(UpdateSpec::canary).orElse(0);
  }

  /** CPU the group asks for, in MHz: the sum of its tasks. */
  public int cpuMhz() {
    return tasks.stream().mapToInt(TaskSpec::cpuMhz).sum();
  }

  /** Memory the group asks for, in MB: the sum of its tasks. */
  public int memoryMb() {
    return tasks.stream().mapToInt(TaskSpec::memoryMb).sum();
  }

  /** Every port of the group and of its tasks' own networks. */
  public List<PortSpec> allPorts() {
    List<PortSpec> all = new java.util.ArrayList<>(ports);
    tasks.forEach(t -> all.addAll(t.ports()));
    return all;
  }
}
