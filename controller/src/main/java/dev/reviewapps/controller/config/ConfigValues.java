package dev.reviewapps.controller.config;

import dev.reviewapps.tls.ClientTlsSettings;
import java.time.Duration;
import java.util.Optional;
import java.util.function.Function;

/**
 * The resolved settings as a {@link ConfigSection} sees them: each lookup takes the environment
 * variable, then the file, then the default, and reports a bad value as a problem naming the field
 * and its variable (never throwing, so every problem is collected). A flag ({@link #bool}) follows
 * the one rule of {@link ClientTlsSettings.Values#bool}.
 */
public interface ConfigValues extends ClientTlsSettings.Values {

  /** The value as text, stripped. */
  String text(String path);

  /** {@code path (VARIABLE)}, or {@code path} for a setting without a variable. */
  String label(String path);

  /** A whole number from {@code min} to {@code max}; a problem (and {@code min}) otherwise. */
  int integer(String path, int min, int max);

  /** A Go-style duration such as {@code 30s}; a problem (and {@code min}) otherwise. */
  Duration duration(String path, Duration min, Duration max);

  /** The parser's result; a problem naming the value and the parser's message otherwise. */
  <T> Optional<T> parse(String path, Function<String, T> parser);

  /** Records a problem; it should start with {@link #label(String)} of its field. */
  void problem(String problem);
}
