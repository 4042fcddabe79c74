package dev.reviewapps.controller.reviewapp.guard;

import dev.reviewapps.controller.engine.LeaderTask;
import java.time.Duration;

/**
 * Runs {@link DeletionGuard#reevaluate()} on the leader every {@code reviewapp.guard.interval}: a
 * hold whose condition cleared by itself is lifted, and a used-up confirmation removed.
 */
public final class GuardCheck implements LeaderTask {
  private final DeletionGuard guard;
  private final Duration interval;

  public GuardCheck(DeletionGuard guard, Duration interval) {
    this.guard = guard;
    this.interval = interval;
  }

  @Override
  public String name() {
    return "deletion-guard";
  }

  @Override
  public Duration interval() {
    return interval;
  }

  @Override
  public void runOnce() {
    guard.reevaluate();
  }
}
