package dev.reviewapps.controller.config;

import java.util.List;

/**
 * A part of the configuration file owned by another module (the ReviewApp reconciler's {@code
 * reviewapp} section), registered in {@code META-INF/services/dev.reviewapps.controller.config.
 * ConfigSection}. {@link ConfigLoader} accepts its {@link #settings()} as known keys, resolves them
 * like its own (environment, then file, then default) and lets the section parse them, so that the
 * engine needs no code change for the module's keys and every problem of the whole file is still
 * reported at once, in one style, with exit code 2.
 *
 * @param <T> the parsed, validated value, found again through {@link ConfigSections#get(Class)}
 */
public interface ConfigSection<T> {

  /** The type of the parsed value, the key under which {@link ConfigSections} keeps it. */
  Class<T> type();

  /** Every key of this section with its full dotted path, its variable and its default. */
  List<ConfigLoader.Setting> settings();

  /**
   * Parses the section. Problems go to {@link ConfigValues#problem(String)}, each naming its field
   * through {@link ConfigValues#label(String)}; the returned value is only used when no problem was
   * reported anywhere in the file, so it may hold placeholders after a problem.
   */
  T parse(ConfigValues values);
}
