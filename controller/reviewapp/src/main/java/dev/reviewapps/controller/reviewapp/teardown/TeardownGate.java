package dev.reviewapps.controller.reviewapp.teardown;

import java.util.Optional;

/**
 * Asked before the teardown of an app begins (its spec is gone and its inventory is not): the
 * mass-deletion guard implements it. A teardown already under way is never held: stopping half-way
 * would leave an app neither running nor gone.
 */
@FunctionalInterface
public interface TeardownGate {

  /** Why the teardown of {@code app} must wait, or empty when it may begin now. */
  Optional<String> holdReason(String app) throws Exception;

  /** Holds nothing back. */
  TeardownGate OPEN = app -> Optional.empty();
}
