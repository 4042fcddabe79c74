package dev.reviewapps.controller.reviewapp.guard;

/**
 * When deleting apps at once counts as a mass deletion that the {@link DeletionGuard} holds back:
 * more than {@code maxDeletions} apps, or more than {@code maxShare} of all apps when that is more
 * than {@code shareFloor} apps (so that deleting 1 of 1, or 2 of 3, is never held for its share).
 *
 * @param maxDeletions the largest number of apps deleted at once without confirmation
 * @param maxShare the largest share (0 to 1) of all apps deleted at once without confirmation
 * @param shareFloor the share rule only applies to more deletions than this
 */
public record GuardLimits(int maxDeletions, double maxShare, int shareFloor) {

  /** The documented defaults: 10 apps, half of them, share rule from 3 apps on. */
  public static final GuardLimits DEFAULTS = new GuardLimits(10, 0.5, 2);

  public GuardLimits {
    if (maxDeletions < 0 || shareFloor < 0 || maxShare < 0 || maxShare > 1) {
      throw new IllegalArgumentException(
          "guard limits out of range: " + maxDeletions + ", " + maxShare + ", " + shareFloor);
    }
  }

  /** True when deleting {@code deletions} of {@code total} apps at once must be confirmed. */
  public boolean exceeded(int deletions, int total) {
    if (deletions > maxDeletions) {
      return true;
    }
    return deletions > shareFloor && total > 0 && deletions > maxShare * total;
  }

  /** Why, in words, for the log line and the held key. */
  String explain(int deletions, int total) {
    return deletions
        + " of "
        + total
        + " apps at once (limits: at most "
        + maxDeletions
        + " apps, or "
        + Math.round(maxShare * 100)
        + "% of them above "
        + shareFloor
        + ")";
  }
}
