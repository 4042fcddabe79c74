package dev.reviewapps.model.spec;

import java.util.Objects;
import java.util.Optional;

/**
 * Commands run as one-off jobs from the app's image: {@code migrate} on every new commit, {@code
 * seed} once after the database is first created, {@code predestroy} before teardown (as Heroku's
 * {@code pr-predestroy}). Each is optional.
 */
public record Release(
    Optional<String> migrate, Optional<String> seed, Optional<String> predestroy) {

  /** No release commands at all. */
  public static final Release NONE =
      new Release(Optional.empty(), Optional.empty(), Optional.empty());

  public Release {
    Objects.requireNonNull(migrate, "migrate");
    Objects.requireNonNull(seed, "seed");
    Objects.requireNonNull(predestroy, "predestroy");
  }

  /** True when there is nothing to run. */
  public boolean isEmpty() {
    return migrate.isEmpty() && seed.isEmpty() && predestroy.isEmpty();
  }
}
