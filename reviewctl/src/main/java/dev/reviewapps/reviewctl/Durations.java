package dev.reviewapps.reviewctl;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Durations as people and CI write them ({@code 90s}, {@code 10m}, {@code 1h30m}) and ages. */
final class Durations implements ITypeConverter<Duration> {

  /** {@code 10m} is ISO-8601's {@code PT10M} without the {@code PT}: let java.time do the rest. */
  @Override
  public Duration convert(String text) {
    try {
      Duration d = Duration.parse("PT" + text.strip().toUpperCase(Locale.ROOT));
      if (d.isNegative()) {
        throw new TypeConversionException("negative duration: " + text);
      }
      return d;
    } catch (DateTimeParseException e) {
      throw new TypeConversionException(
          "'" + text + "' is not a duration such as 30s, 10m or 1h30m");
    }
  }
}
