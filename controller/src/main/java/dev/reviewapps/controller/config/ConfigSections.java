package dev.reviewapps.controller.config;

import java.util.Map;
import java.util.Optional;

/**
 * The parsed values of the {@link ConfigSection}s found on the class path, by type. Its {@code
 * toString} names the types only: a section's value may hold a secret, and a configuration is the
 * kind of object that ends up in a log line.
 */
public record ConfigSections(Map<Class<?>, Object> values) {

  /** No sections: the engine alone. */
  public static final ConfigSections NONE = new ConfigSections(Map.of());

  public ConfigSections {
    values = Map.copyOf(values);
  }

  /** The parsed value of the section whose type is {@code type}, if that section was loaded. */
  public <T> Optional<T> get(Class<T> type) {
    return Optional.ofNullable(values.get(type)).map(type::cast);
  }

  @Override
  public String toString() {
    return "ConfigSections" + values.keySet().stream().map(Class::getSimpleName).sorted().toList();
  }
}
