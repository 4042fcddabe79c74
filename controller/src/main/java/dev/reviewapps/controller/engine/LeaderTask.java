package dev.reviewapps.controller.engine;

import java.time.Duration;

/**
 * Periodic work that must happen on one controller only (branch garbage collection, TTL expiry, the
 * orphan sweep): it runs only while this process leads, first as soon as it starts leading and then
 * every {@link #interval()} after the previous run ended. Losing leadership interrupts it.
 *
 * <p>Bind one with {@code Multibinder.newSetBinder(binder(), LeaderTask.class).addBinding()}.
 */
public interface LeaderTask {

  /** A short name for logs and the {@code task} label of its metrics. */
  String name();

  /** The delay between the end of one run and the start of the next. */
  Duration interval();

  /**
   * Runs once. An exception is logged and counted; the task runs again at its next interval. It
   * must stop promptly when its thread is interrupted.
   */
  void runOnce() throws Exception;
}
