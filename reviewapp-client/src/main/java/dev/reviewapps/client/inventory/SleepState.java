package dev.reviewapps.client.inventory;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * Whether an app sleeps, kept in its inventory so that a restarted controller or a new leader
 * carries on where the last one stopped (an app half asleep goes on falling asleep, a wake under
 * way still gets its duration recorded).
 *
 * @param asleepSince when the app was put to sleep; empty while it is awake
 * @param activeSince the last activity the controller itself saw (the app's spec applied, a wake),
 *     counted with the router's last request when deciding whether the app is idle
 * @param wakeRequested when the wake under way was asked for; cleared once the app is Ready again
 */
public record SleepState(
    Optional<Instant> asleepSince, Optional<Instant> activeSince, Optional<Instant> wakeRequested) {

  /** Awake, no activity known: the state of an inventory written before sleeping existed. */
  public static final SleepState AWAKE =
      new SleepState(Optional.empty(), Optional.empty(), Optional.empty());

  public SleepState {
    Objects.requireNonNull(asleepSince, "asleepSince");
    Objects.requireNonNull(activeSince, "activeSince");
    Objects.requireNonNull(wakeRequested, "wakeRequested");
  }

  public boolean asleep() {
    return asleepSince.isPresent();
  }

  /** Asleep from {@code at} on; a wake that was under way is over. */
  public SleepState fallAsleep(Instant at) {
    return new SleepState(Optional.of(at), activeSince, Optional.empty());
  }

  /** Awake again, asked at {@code requested}, and active from {@code now}. */
  public SleepState wake(Instant requested, Instant now) {
    return new SleepState(Optional.empty(), Optional.of(now), Optional.of(requested));
  }

  /** Active at {@code at} (a new spec applied); a wake under way stays under way. */
  public SleepState active(Instant at) {
    return new SleepState(asleepSince, Optional.of(at), wakeRequested);
  }

  /** The wake is done (the app is Ready again). */
  public SleepState woken() {
    return new SleepState(asleepSince, activeSince, Optional.empty());
  }

  /**
   * How long the app has been idle at {@code now}, counting from the later of the controller's own
   * activity and the router's {@code lastRequest}; zero when neither is known.
   */
  public Duration idleFor(Optional<Instant> lastRequest, Instant now) {
    Optional<Instant> last =
        lastRequest.isPresent() && activeSince.isPresent()
            ? Optional.of(
                lastRequest.get().isAfter(activeSince.get())
                    ? lastRequest.get()
                    : activeSince.get())
            : lastRequest.or(() -> activeSince);
    return last.map(l -> Duration.between(l, now))
        .filter(d -> !d.isNegative())
        .orElse(Duration.ZERO);
  }
}
