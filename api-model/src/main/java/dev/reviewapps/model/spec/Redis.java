package dev.reviewapps.model.spec;

import java.util.Objects;

/** A Redis server of the app's own, run from {@code image}; it reaches the app as REDIS_URL. */
public record Redis(String image) {
  public Redis {
    Objects.requireNonNull(image, "image");
  }
}
