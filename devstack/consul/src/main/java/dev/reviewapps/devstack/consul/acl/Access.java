package dev.reviewapps.devstack.consul.acl;

import java.util.Locale;

/** A policy level, weakest first: a rule grants its level and every weaker one. */
public enum Access {
  DENY,
  LIST,
  READ,
  WRITE;

  /** Whether a rule of this level grants {@code needed}. */
  public boolean grants(Access needed) {
    return compareTo(needed) >= 0 && this != DENY;
  }

  /** The level's name in rules and in Consul's denial messages. */
  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  static Access parse(String text) {
    try {
      return valueOf(text.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("unknown policy '" + text + "'", e);
    }
  }
}
