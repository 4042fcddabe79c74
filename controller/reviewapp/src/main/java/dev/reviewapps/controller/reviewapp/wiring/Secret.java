package dev.reviewapps.controller.reviewapp.wiring;

import java.util.Objects;

/**
 * A configured secret (the PostgreSQL administrator's password, the Nomad token). Its {@code
 * toString} never shows the value, so a settings record that holds one can be logged or end up in
 * an exception message.
 */
public record Secret(String value) {

  public Secret {
    Objects.requireNonNull(value, "value");
  }

  /** Whether a value was given at all (an empty password is a server that trusts the client). */
  public boolean isEmpty() {
    return value.isEmpty();
  }

  @Override
  public String toString() {
    return value.isEmpty() ? "(none)" : "(secret)";
  }
}
