package dev.reviewapps.devstack.consul.acl;

/** The kinds of thing a rule names; the stand-in enforces these four. */
public enum Resource {
  KEY("key"),
  SESSION("session"),
  AGENT("agent"),
  NODE("node");

  private final String wire;

  Resource(String wire) {
    this.wire = wire;
  }

  /** The rule keyword, e.g. {@code key} (with {@code _prefix} for prefix rules). */
  public String wire() {
    return wire;
  }
}
