package dev.reviewapps.controller.reviewapp.nomad;

import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Objects;
import java.util.Optional;

/**
 * What the job builder needs for one app: its name, its spec, and where its database and Redis are.
 * {@code databaseUrl} carries the password, so {@link #toString} leaves it out.
 */
public record AppRelease(
    String name, ReviewAppSpec spec, String databaseUrl, Optional<String> redisUrl) {

  public AppRelease {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(spec, "spec");
    Objects.requireNonNull(databaseUrl, "databaseUrl");
    Objects.requireNonNull(redisUrl, "redisUrl");
  }

  @Override
  public String toString() {
    return "AppRelease[" + name + "@" + spec.commit() + "]";
  }
}
