package dev.reviewapps.devstack.consul.acl;

/**
 * What one token may do. With ACLs off every request gets {@link #allowAll()}; with ACLs on the
 * token's rules decide and anything they do not cover falls to the default policy.
 */
public final class Authorizer {
  /** The AccessorID Consul gives the anonymous token. */
  public static final String ANONYMOUS_ACCESSOR = "00000000-0000-0000-0000-000000000002";

  private final String accessorId;
  private final Rules rules;
  private final boolean management;
  private final Access fallback;

  Authorizer(String accessorId, Rules rules, boolean management, Access fallback) {
    this.accessorId = accessorId;
    this.rules = rules;
    this.management = management;
    this.fallback = fallback;
  }

  private static final Authorizer ALLOW_ALL =
      new Authorizer(ANONYMOUS_ACCESSOR, Rules.none(), true, Access.WRITE);

  /** The authorizer of a stand-in without ACLs. */
  public static Authorizer allowAll() {
    return ALLOW_ALL;
  }

  /** Whether the token holds {@code needed} on {@code name}. */
  public boolean allows(Resource resource, String name, Access needed) {
    return management || rules.lookup(resource, name).orElse(fallback).grants(needed);
  }

  /** Whether the token may write every key under {@code prefix} (recursive delete). */
  public boolean allowsWritePrefix(String prefix) {
    return management || rules.writesWholePrefix(prefix, fallback);
  }

  /** The token's public ID, shown in denials instead of the secret. */
  public String accessorId() {
    return accessorId;
  }

  /** Consul's denial text for a missing permission. */
  public String denial(Resource resource, Access needed, String name) {
    String who =
        ANONYMOUS_ACCESSOR.equals(accessorId)
            ? "anonymous token"
            : "token with AccessorID '" + accessorId + "'";
    return "Permission denied: "
        + who
        + " lacks permission '"
        + resource.wire()
        + ":"
        + needed.wire()
        + "' on \""
        + name
        + "\"";
  }
}
