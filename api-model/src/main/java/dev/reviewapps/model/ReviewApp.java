package dev.reviewapps.model;

import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Objects;

/**
 * One review app's desired state as stored under {@code review-apps/specs/<name>}: {@code
 * apiVersion: reviewapps/v1}, {@code kind: ReviewApp}, metadata and spec.
 *
 * <p>Constructing one checks only that nothing is null; the domain rules (bounds, syntax) are
 * checked by {@link dev.reviewapps.model.validation.ReviewAppValidator}, and every app returned by
 * {@link dev.reviewapps.model.json.ReviewAppJson#parse} has passed them.
 */
public record ReviewApp(Metadata metadata, ReviewAppSpec spec) {

  /** The only API version this model reads and writes. */
  public static final String API_VERSION = "reviewapps/v1";

  /** The only kind this model reads and writes. */
  public static final String KIND = "ReviewApp";

  public ReviewApp {
    Objects.requireNonNull(metadata, "metadata");
    Objects.requireNonNull(spec, "spec");
  }

  /** The app's name, which is also its Consul key suffix and the base of every resource name. */
  public String name() {
    return metadata.name();
  }

  public String apiVersion() {
    return API_VERSION;
  }

  public String kind() {
    return KIND;
  }
}
