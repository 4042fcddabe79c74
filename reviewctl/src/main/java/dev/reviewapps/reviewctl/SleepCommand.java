package dev.reviewapps.reviewctl;

import dev.reviewapps.model.status.Phase;
import picocli.CommandLine.Command;

/** {@code sleep NAME}: puts an app to sleep now (web and worker scaled to 0). */
@Command(
    name = "sleep",
    description = {
      "Put an app to sleep now: web and worker stop, database and Redis keep their data.",
      "The next request through the router (or reviewctl wake) wakes it."
    })
final class SleepCommand extends SleepWakeRequest {
  @Override
  String verb() {
    return "sleep";
  }

  @Override
  String key() {
    return keys().sleep(name);
  }

  @Override
  Phase goal() {
    return Phase.Sleeping;
  }
}
