package dev.reviewapps.model.spec;

import java.util.Objects;
import java.util.Optional;

/** The long-running processes: a web process (required, it is what gets routed) and a worker. */
public record Processes(ProcessSpec web, Optional<ProcessSpec> worker) {
  public Processes {
    Objects.requireNonNull(web, "web");
    Objects.requireNonNull(worker, "worker");
  }
}
