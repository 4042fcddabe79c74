package dev.reviewapps.devstack.consul.state;

import java.util.Arrays;
import java.util.Optional;

/** What happens to the keys a session holds when the session is invalidated. */
public enum Behavior {
  /** The lock is released; the key and its value stay. Consul's default. */
  RELEASE("release"),
  /** The key is deleted. */
  DELETE("delete");

  private final String wire;

  Behavior(String wire) {
    this.wire = wire;
  }

  /** The name on the wire, {@code release} or {@code delete}. */
  public String wire() {
    return wire;
  }

  /** The behavior with this wire name (case-sensitive, as Consul compares it). */
  public static Optional<Behavior> fromWire(String text) {
    return Arrays.stream(values()).filter(b -> b.wire.equals(text)).findFirst();
  }
}
