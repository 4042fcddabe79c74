package dev.reviewapps.model;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The name of a review app (a DNS label, see {@link dev.reviewapps.model.naming.AppName}) and free
 * labels.
 *
 * <p>Labels are copied into an unmodifiable sorted map: {@code Map.copyOf} would iterate in an
 * order that changes from one JVM to the next, and the JSON written from a record must be stable.
 */
public record Metadata(String name, Map<String, String> labels) {

  public Metadata {
    Objects.requireNonNull(name, "name");
    labels = Collections.unmodifiableSortedMap(new TreeMap<>(Objects.requireNonNull(labels)));
  }

  /** Metadata without labels. */
  public static Metadata named(String name) {
    return new Metadata(name, Map.of());
  }
}
