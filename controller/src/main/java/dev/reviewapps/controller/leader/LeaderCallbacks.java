package dev.reviewapps.controller.leader;

/**
 * What {@link LeaderElection} calls when leadership changes, in order and never at once: started,
 * stopped, started... Both run on election threads and should return quickly.
 */
public interface LeaderCallbacks {

  /** This process holds the lock now: start working. */
  void startedLeading();

  /** This process no longer holds the lock, or may not for much longer: stop all work now. */
  void stoppedLeading();
}
