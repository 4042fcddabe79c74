package dev.reviewapps.devstack.aws.faults;

import java.time.Duration;

/** What the fault rules decided for one call: how long to delay it, then whether to answer it. */
public sealed interface FaultOutcome {
  /** Added latency before the call is answered (or failed). */
  Duration latency();

  /** The call is served normally. */
  record Serve(Duration latency) implements FaultOutcome {}

  /** The call is answered as throttled. */
  record Throttle(Duration latency) implements FaultOutcome {}

  /** The call is answered with a server error of this status. */
  record ServerError(Duration latency, int status) implements FaultOutcome {}
}
