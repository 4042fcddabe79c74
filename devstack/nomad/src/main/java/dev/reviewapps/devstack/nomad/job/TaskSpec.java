package dev.reviewapps.devstack.nomad.job;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One task of a group.
 *
 * @param name the task name
 * @param driver {@code raw_exec}, {@code docker}, …
 * @param config the driver configuration: {@code command} and {@code args} for raw_exec, {@code
 *     image}, {@code command} and {@code args} for docker
 * @param env the task's {@code Env}
 * @param cpuMhz {@code Resources.CPU}
 * @param memoryMb {@code Resources.MemoryMB}
 * @param ports ports of the task's own {@code Resources.Networks} (the pre-0.12 style)
 * @param killTimeout how long to wait after the kill signal before killing for good
 * @param killSignal the polite signal, {@code SIGTERM} unless given
 * @param lifecycle the lifecycle hook, absent for a main task
 * @param restart the task's own restart policy, else the group's applies
 * @param services services declared on the task
 * @param meta the task's {@code Meta}
 * @param leader whether the task is the group's leader
 */
public record TaskSpec(
    String name,
    String driver,
    DriverConfig config,
    Map<String, String> env,
    int cpuMhz,
    int memoryMb,
    List<PortSpec> ports,
    Duration killTimeout,
    String killSignal,
    Optional<Lifecycle> lifecycle,
    Optional<RestartPolicy> restart,
    List<ServiceSpec> services,
    Map<String, String> meta,
    boolean leader) {

  public TaskSpec {
    env = Map.copyOf(env);
    ports = List.copyOf(ports);
    services = List.copyOf(services);
    meta = Map.copyOf(meta);
  }

  /**
   * The task's lifecycle hook.
   *
   * @param hook {@code prestart}, {@code poststart} or {@code poststop}
   * @param sidecar whether the task keeps running beside the main tasks
   */
  public record Lifecycle(String hook, boolean sidecar) {}

  /**
   * The driver settings the stand-in reads.
   *
   * @param command raw_exec's and docker's {@code command}
   * @param args the arguments
   * @param image docker's {@code image}
   */
  public record DriverConfig(Optional<String> command, List<String> args, Optional<String> image) {
    public DriverConfig {
      args = List.copyOf(args);
    }
  }
}
