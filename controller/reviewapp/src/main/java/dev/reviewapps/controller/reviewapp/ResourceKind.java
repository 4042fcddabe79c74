package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.validation.Violation;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * One kind of outside resource a review app owns (its database, its Redis, its route), in one file:
 * how it is brought to what the spec asks ({@link #ensure}), how it is deleted ({@link #delete})
 * and how its leftovers are found ({@link #orphans}), with the condition it sets and the inventory
 * entries it records.
 *
 * <p>The kinds form one ordered list, bound with a Guice {@code Multibinder} ({@code
 * ResourceKindsModule}): the reconciler ensures them in that order, the teardown deletes them in
 * the reverse order, and the orphan sweep asks each for its leftovers. Adding a kind (an
 * ElastiCache cluster, a DNS record) is one new class and one binding; nothing else changes.
 */
public interface ResourceKind {

  /** A short name for logs, metrics and the teardown's status: {@code database}, {@code route}. */
  String name();

  /**
   * The condition {@link #ensure} sets in status. Empty for a kind that has none (conditions are
   * the API's enum): it is still ensured, its {@code Waiting} stops the run and its {@code Failed}
   * fails the app with its reason in {@code lastError}, but no condition of its own is written.
   */
  Optional<ConditionType> condition();

  /**
   * The kinds, by {@link #name()}, that must be Ready (or Degraded) in this pass before this one is
   * ensured; empty: every kind before it in the list, which is what most kinds build on. A kind
   * that needs less goes on while an earlier one it does not need waits: Redis needs no database,
   * so in instance mode it starts while RDS creates the instance. Only earlier kinds can be named.
   */
  default Optional<Set<String>> needs() {
    return Optional.empty();
  }

  /**
   * Observes the real state of this kind for the app in {@code run}, compares it with what the spec
   * asks, and acts on the difference. Records whatever it is about to create in the inventory
   * before creating it, and never waits: when the outside world is not ready it returns {@link
   * StepOutcome.Waiting}. By default there is nothing to ensure: a kind created by someone else (CI
   * uploads the assets) or only at the end (the predestroy command).
   */
  default StepOutcome ensure(Reconciliation run) throws Exception {
    return new StepOutcome.Ready("NothingToEnsure", name() + " is only deleted and swept");
  }

  /**
   * Deletes what the inventory of {@code run} records of this kind, removing each entry once it is
   * gone (so an interrupted teardown resumes where it stopped). Touches nothing the inventory does
   * not name. Empty when nothing of this kind is left, else how long to wait before asking again;
   * throws when a call failed (the teardown is retried with backoff, no later kind runs before).
   */
  Optional<Duration> delete(Dismantling run) throws Exception;

  /**
   * The changes from {@code applied} (the spec the app runs) to {@code next} that this kind cannot
   * carry out on what {@code inventory} records: a database that exists is never swapped for
   * another. Refused changes make {@code next} an invalid update: the app keeps running {@code
   * applied} and status says why. None by default.
   */
  default List<Violation> refusedChanges(
      Inventory inventory, ReviewAppSpec applied, ReviewAppSpec next) {
    return List.of();
  }

  /** Where the orphan sweep looks for resources of this kind: none by default. */
  default List<OrphanSource> orphans() {
    return List.of();
  }
}
