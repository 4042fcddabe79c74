package dev.reviewapps.controller.engine;

/**
 * A failure that retrying cannot fix, such as an invalid spec. The engine records it (see {@link
 * TerminalErrors}) and does not requeue the name; the next change to the name runs it again.
 *
 * <p>The message is shown to users in status, so it must never contain secrets.
 */
public class TerminalError extends Exception {
  private static final long serialVersionUID = 1L;

  public TerminalError(String message) {
    super(message);
  }

  public TerminalError(String message, Throwable cause) {
    super(message, cause);
  }
}
