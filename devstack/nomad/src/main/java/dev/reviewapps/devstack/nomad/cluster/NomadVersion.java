package dev.reviewapps.devstack.nomad.cluster;

/** The Nomad version the stand-in reports; its API shapes follow the 1.x documentation. */
public final class NomadVersion {
  /** Reported in {@code /v1/agent/self} and node attributes. */
  public static final String VERSION = "1.9.7";

  private NomadVersion() {}
}
