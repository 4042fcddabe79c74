package dev.reviewapps.consul;

/** Consul sessions, the leases behind locks. Failures throw {@link ConsulUnavailable}. */
public interface Sessions {

  /** Creates a session and returns its ID. */
  String create(SessionRequest request);

  /**
   * Renews the session's TTL.
   *
   * @return false when Consul no longer knows the session (it expired or was destroyed)
   */
  boolean renew(String id);

  /** Destroys the session, releasing its locks; destroying an unknown session is no error. */
  void destroy(String id);
}
