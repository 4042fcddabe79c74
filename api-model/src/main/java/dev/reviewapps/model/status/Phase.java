package dev.reviewapps.model.status;

/** Where a review app is in its life, as one word for dashboards and {@code reviewctl get}. */
public enum Phase {
  /** The spec was seen but no work has started. */
  Pending,
  /** Database, capacity or Redis are being created. */
  Provisioning,
  /** Release commands and processes are being run. */
  Deploying,
  /** Every step is done and the app is routed. */
  Ready,
  /**
   * Idle for its {@code sleepAfter} (or put to sleep by hand): web and worker are scaled to 0, the
   * database and Redis keep their data, and the first request through the router wakes it.
   */
  Sleeping,
  /** Asked to wake: web and worker are starting again; the router holds requests meanwhile. */
  Waking,
  /** A step failed in a way retrying will not fix (e.g. an invalid spec); see lastError. */
  Failed,
  /** The spec is gone or expired and resources are being torn down. */
  Deleting
}
