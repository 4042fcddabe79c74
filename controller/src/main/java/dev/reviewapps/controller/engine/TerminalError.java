package dev.reviewapps.controller.engine;

/**
 * A failure that retrying cannot fix, such as an invalid spec. The engine records it (see {@link
 * TerminalErrors}) and does not requeue the name; the next change to the name runs it again.
 *
 * <p>The message is shown to users in status, so it must never contain secrets.
 */
public class TerminalError extends Exception {
  private static final long serialVersionUID = 1L;

  private final boolean recorded;

  public TerminalError(String message) {
    this(message, null, false);
  }

  public TerminalError(String message, Throwable cause) {
    this(message, cause, false);
  }

  private TerminalError(String message, Throwable cause, boolean recorded) {
    super(message, cause);
    this.recorded = recorded;
  }

  /**
   * A terminal error whose status the reconciler has already written in full: the engine logs it
   * and does not requeue, but records nothing over that status. Without this, an invalid update of
   * a running app (phase kept, {@code Valid=False}) would be overwritten with phase Failed.
   */
  public static TerminalError alreadyRecorded(String message) {
    return new TerminalError(message, null, true);
  }

  /** Whether the reconciler wrote the status itself (see {@link #alreadyRecorded}). */
  public boolean recorded() {
    return recorded;
  }
}
