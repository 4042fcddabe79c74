package dev.reviewapps.controller.engine;

/**
 * Converges one named object. It reads the desired state and the real state of every outside system
 * and acts on the difference; it is never told which event woke it, because several events collapse
 * into one name in the queue.
 *
 * <p>The engine guarantees that {@code reconcile} never runs twice at once for the same name, and
 * that a change arriving during a run causes exactly one more run. Implementations are bound in
 * Guice (see the wiring package) so that the ReviewApp reconciler replaces the default one.
 */
@FunctionalInterface
public interface Reconciler {

  /**
   * Converges {@code name}.
   *
   * @return {@link Result#done()} or {@link Result#requeueAfter}
   * @throws TerminalError when retrying cannot help; recorded and not retried
   * @throws Exception anything else: counted, logged and retried with backoff
   */
  Result reconcile(String name) throws Exception;

  /**
   * Whether {@code name}, the rest of a key under the watched prefixes, names an object this
   * reconciler can own. A key that does not (for ReviewApps: no valid app name, such as {@code
   * a?x}, {@code a#b} or {@code A B}) is never queued: the engine counts and logs it instead, so
   * nothing is ever written under a name taken from it. The default accepts every name.
   */
  default boolean accepts(String name) {
    return true;
  }
}
