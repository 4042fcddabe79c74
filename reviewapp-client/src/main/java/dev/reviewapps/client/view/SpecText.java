package dev.reviewapps.client.view;

import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;

/** Parts of a spec in one line each, as reviewctl describe and the dashboard print them. */
public final class SpecText {
  private SpecText() {}

  /** {@code shared}, {@code shared (template app_seed)}, {@code instance}, {@code snapshot}. */
  public static String database(Database d) {
    if (d instanceof Database.Shared shared) {
      return "shared" + shared.template().map(t -> " (template " + t + ")").orElse("");
    }
    return d.mode();
  }

  /** {@code 1 x bin/web (500 MHz, 512 MB, health check /health)}. */
  public static String process(ProcessSpec p) {
    return p.count()
        + " x "
        + p.command()
        + " ("
        + p.cpuMhz()
        + " MHz, "
        + p.memoryMb()
        + " MB"
        + p.healthPath().map(h -> ", health check " + h).orElse("")
        + ")";
  }
}
