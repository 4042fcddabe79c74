package dev.reviewapps.model.spec;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;

/**
 * What one review app should be: the branch and commit it was built from, the image to run, its
 * database, optional Redis, release commands, processes, extra environment and time to live.
 *
 * <p>{@code env} is copied into an unmodifiable sorted map so that JSON written from it is stable.
 * An absent {@code ttl} means the app lives until its branch is deleted. An absent {@code
 * sleepAfter} means the controller's configured default ({@code reviewapp.sleep.defaultAfter}).
 */
public record ReviewAppSpec(
    String branch,
    String commit,
    String image,
    Database database,
    Optional<Redis> redis,
    Release release,
    Processes processes,
    Map<String, String> env,
    Optional<Ttl> ttl,
    Optional<SleepAfter> sleepAfter) {

  public ReviewAppSpec {
    Objects.requireNonNull(branch, "branch");
    Objects.requireNonNull(commit, "commit");
    Objects.requireNonNull(image, "image");
    Objects.requireNonNull(database, "database");
    Objects.requireNonNull(redis, "redis");
    Objects.requireNonNull(release, "release");
    Objects.requireNonNull(processes, "processes");
    env = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(env, "env")));
    Objects.requireNonNull(ttl, "ttl");
    Objects.requireNonNull(sleepAfter, "sleepAfter");
  }
}
