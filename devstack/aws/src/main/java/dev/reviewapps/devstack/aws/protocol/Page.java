package dev.reviewapps.devstack.aws.protocol;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

/**
 * One page of a listing that AWS pages with {@code MaxRecords} and a marker. The marker is the key
 * of the first item not returned, so items deleted between calls do not shift the pages.
 *
 * @param items the items of this page
 * @param nextMarker where the next page starts, empty on the last page
 */
public record Page<T>(List<T> items, Optional<String> nextMarker) {

  /**
   * Cuts a page out of items sorted by {@code key}.
   *
   * @param marker the marker of the previous answer, if any
   * @param maxRecords at most this many items
   */
  public static <T> Page<T> of(
      List<T> sorted, Function<T, String> key, Optional<String> marker, int maxRecords) {
    int from = 0;
    if (marker.isPresent()) {
      while (from < sorted.size() && key.apply(sorted.get(from)).compareTo(marker.get()) < 0) {
        from++;
      }
    }
    int to = Math.min(sorted.size(), from + maxRecords);
    Optional<String> next =
        to < sorted.size() ? Optional.of(key.apply(sorted.get(to))) : Optional.empty();
    return new Page<>(List.copyOf(sorted.subList(from, to)), next);
  }

  /**
   * Reads {@code MaxRecords}, checked against AWS's bounds for the action.
   *
   * @param min the smallest value AWS accepts
   * @param max the largest value AWS accepts, also the default
   */
  public static int maxRecords(QueryParams params, int min, int max) {
    return maxRecords(params, min, max, max);
  }

  /** As {@link #maxRecords(QueryParams, int, int)}, for actions whose default is below the max. */
  public static int maxRecords(QueryParams params, int min, int max, int byDefault) {
    int value = params.integer("MaxRecords").orElse(byDefault);
    if (value < min || value > max) {
      throw AwsError.invalidParameter(
          "Invalid value " + value + " for MaxRecords. Must be between " + min + " and " + max);
    }
    return value;
  }
}
