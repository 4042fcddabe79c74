package dev.reviewapps.reviewctl;

import dev.reviewapps.client.ReviewAppKeys;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import java.io.PrintStream;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every subcommand reaches through the root command: terminal, settings and clients. */
abstract class AppCommand {
  @Spec CommandSpec spec;

  Reviewctl root() {
    return (Reviewctl) spec.root().userObject();
  }

  Terminal terminal() {
    return root().terminal();
  }

  PrintStream out() {
    return terminal().out();
  }

  KeyValueStore store() {
    return root().clients().store();
  }

  KeyLayout layout() {
    return root().clients().layout();
  }

  /** The review-app keys (routes, phases, wake, sleep, guard) under the same prefix. */
  ReviewAppKeys keys() {
    return new ReviewAppKeys(layout());
  }

  Apps apps() {
    return new Apps(store(), layout());
  }
}
