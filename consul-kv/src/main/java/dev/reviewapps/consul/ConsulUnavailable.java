package dev.reviewapps.consul;

import java.util.OptionalInt;

/**
 * Consul could not be asked (connection, timeout) or answered with an error status. The message
 * names the operation and never contains the ACL token or values.
 */
public final class ConsulUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final int status;

  public ConsulUnavailable(String message, int status) {
    super(message);
    this.status = status;
  }

  /** The HTTP status Consul answered with, if it answered. */
  public OptionalInt status() {
    return status > 0 ? OptionalInt.of(status) : OptionalInt.empty();
  }
}
