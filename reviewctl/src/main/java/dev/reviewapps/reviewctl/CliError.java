package dev.reviewapps.reviewctl;

/**
 * A failure reviewctl reports as one line ({@code reviewctl: <what>: <why>}) and an exit code.
 * Messages never contain a token: they are built from our own words, Consul's short answer, or a
 * client's exception class name.
 */
public final class CliError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int exitCode;

  public CliError(String message) {
    this(message, ExitCode.ERROR);
  }

  public CliError(String message, int exitCode) {
    super(message);
    this.exitCode = exitCode;
  }

  public CliError(String message, Throwable cause) {
    super(message, cause);
    this.exitCode = ExitCode.ERROR;
  }

  public int exitCode() {
    return exitCode;
  }
}
