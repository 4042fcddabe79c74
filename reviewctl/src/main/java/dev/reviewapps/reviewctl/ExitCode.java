package dev.reviewapps.reviewctl;

/**
 * reviewctl's exit codes. {@link #TIMEOUT} is kept apart from {@link #ERROR} so that CI can tell
 * "the app failed" from "the app was still coming up when we gave up".
 */
public final class ExitCode {
  private ExitCode() {}

  /** Done, or the awaited state was reached. */
  public static final int OK = 0;

  /** An error, or the app reached Failed while waiting. */
  public static final int ERROR = 1;

  /** {@code wait} (or {@code delete --wait}) ran out of time. */
  public static final int TIMEOUT = 2;

  /** The command line itself is wrong (sysexits' EX_USAGE). */
  public static final int USAGE = 64;
}
