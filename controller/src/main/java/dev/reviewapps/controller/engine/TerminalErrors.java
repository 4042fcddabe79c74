package dev.reviewapps.controller.engine;

/**
 * Where the engine records a {@link TerminalError}, since it will not retry it: the status writer
 * puts it into the app's status so that users see why nothing happens.
 */
@FunctionalInterface
public interface TerminalErrors {

  /** Records that reconciling {@code name} failed for good; may throw, which is only logged. */
  void record(String name, TerminalError error) throws Exception;

  /** Records nothing; for tests and for engines whose reconciler has no status. */
  static TerminalErrors ignore() {
    return (name, error) -> {};
  }
}
