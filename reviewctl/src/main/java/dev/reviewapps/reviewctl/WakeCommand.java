package dev.reviewapps.reviewctl;

import dev.reviewapps.model.status.Phase;
import picocli.CommandLine.Command;

/** {@code wake NAME}: wakes a sleeping app, as a request through the router would. */
@Command(
    name = "wake",
    description = {
      "Wake a sleeping app: web and worker start again and its route comes back once healthy.",
      "With --wait, waits until it is Ready (exit 2 on timeout)."
    })
final class WakeCommand extends SleepWakeRequest {
  @Override
  String verb() {
    return "wake";
  }

  @Override
  String key() {
    return keys().wake(name);
  }

  @Override
  Phase goal() {
    return Phase.Ready;
  }
}
