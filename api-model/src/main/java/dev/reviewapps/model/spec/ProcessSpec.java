package dev.reviewapps.model.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * One process type: the shell command, how many copies, CPU in MHz and memory in MB per copy (the
 * units Nomad's resources block uses). {@code healthPath} is for the web process only: the HTTP
 * path the health check requests.
 */
public record ProcessSpec(
    String command, int count, int cpuMhz, int memoryMb, Optional<String> healthPath) {

  /** Used when the spec gives no {@code count}. */
  public static final int DEFAULT_COUNT = 1;

  /** Used when the spec gives no {@code cpu}. */
  public static final int DEFAULT_CPU_MHZ = 500;

  /** Used when the spec gives no {@code memoryMB}. */
  public static final int DEFAULT_MEMORY_MB = 512;

  public ProcessSpec {
    Objects.requireNonNull(command, "command");
    Objects.requireNonNull(healthPath, "healthPath");
  }

  /** A process with the default count, CPU and memory and no health path. */
  public static ProcessSpec of(String command) {
    return new ProcessSpec(
        command, DEFAULT_COUNT, DEFAULT_CPU_MHZ, DEFAULT_MEMORY_MB, Optional.empty());
  }
}
