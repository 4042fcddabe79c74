/**
 * Where branches come from, for the branch garbage collector: {@link
 * dev.reviewapps.controller.git.BranchSource} with {@code git ls-remote} (any remote) and the
 * GitHub REST API as implementations. A listing that cannot be trusted is an exception, never an
 * empty set, so a failing Git host cannot look like "every branch was deleted".
 */
package dev.reviewapps.controller.git;
