package dev.reviewapps.controller.reviewapp.ownership;

import dev.reviewapps.controller.resilience.NotAnOutage;

/**
 * A resource exists under the name an app would use, but it does not carry that app's ownership
 * mark (another app's, or none: made by someone else). review-apps never adopts, changes, stops or
 * deletes such a resource; the app reports the conflict instead. The message names the resource and
 * is shown in status, so it never holds a secret.
 */
public final class OwnershipConflict extends NotAnOutage {
  private static final long serialVersionUID = 1L;

  private final String resource;

  public OwnershipConflict(String resource, String why) {
    super(resource + " " + why + "; review-apps leaves it alone");
    this.resource = resource;
  }

  /** What the resource is, e.g. {@code Nomad job deploy-x}. */
  public String resource() {
    return resource;
  }
}
