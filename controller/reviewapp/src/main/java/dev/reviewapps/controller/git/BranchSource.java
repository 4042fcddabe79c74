package dev.reviewapps.controller.git;

import java.util.Set;

/** Lists the branches of the repository whose review apps the controller runs. */
public interface BranchSource {
  /**
   * Every branch name (without {@code refs/heads/}).
   *
   * @throws BranchListingException when the listing failed or is incomplete; callers must then
   *     delete nothing
   */
  Set<String> branches() throws BranchListingException;

  /** Where the branches come from, with any credentials removed, for logs and status. */
  String describe();
}
