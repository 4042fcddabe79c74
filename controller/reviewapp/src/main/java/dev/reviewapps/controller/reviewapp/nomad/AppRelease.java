package dev.reviewapps.controller.reviewapp.nomad;

import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * What the job builder needs for one app: its name, its spec, where its database and Redis are, and
 * the password its Redis requires. {@code databaseUrl}, {@code redisUrl} and {@code redisPassword}
 * carry secrets, so {@link #toString} leaves them out.
 */
public record AppRelease(
    String name,
    ReviewAppSpec spec,
    String databaseUrl,
    Optional<String> redisUrl,
    Optional<String> redisPassword) {

  public AppRelease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
    Objects.requireNonNull(redisPassword, "redisPassword");
  }

  /** For jobs that run no Redis of their own (release and predestroy jobs). */
  public AppRelease(
      String name, ReviewAppSpec spec, String databaseUrl, Optional<String> redisUrl) {
    this(name, spec, databaseUrl, redisUrl, Optional.empty());
  }

  @Override
  public String toString() {
    return "AppRelease[" + name + "@" + spec.commit() + "]";
  }
}
