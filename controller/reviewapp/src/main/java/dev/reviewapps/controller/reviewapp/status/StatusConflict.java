package dev.reviewapps.controller.reviewapp.status;

/**
 * Someone kept writing the status between our read and our check-and-set, more times than the
 * writer retries. An ordinary exception: the reconcile is retried with backoff.
 */
public final class StatusConflict extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public StatusConflict(String message) {
    super(message);
  }
}
