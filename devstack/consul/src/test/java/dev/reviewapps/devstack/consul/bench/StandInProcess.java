package dev.reviewapps.devstack.consul.bench;

import dev.reviewapps.devstack.consul.ConsulCommand;
import java.util.List;

/** Runs the stand-in in its own JVM, so the bench measures the server's heap and nothing else. */
public final class StandInProcess {
  private StandInProcess() {}

  public static void main(String[] args) throws Exception {
    System.exit(new ConsulCommand().run(List.of(args)));
  }
}
