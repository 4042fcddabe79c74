package dev.reviewapps.consul;

import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.session.model.NewSession;
import com.ecwid.consul.v1.session.model.Session;
import java.util.Objects;

/** {@link Sessions} over consul-api's session client. */
public final class ConsulApiSessions implements Sessions {
  private final ConsulConnection connection;

  public ConsulApiSessions(ConsulConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public String create(SessionRequest request) {
    NewSession session = new NewSession();
    session.setName(request.name());
    session.setTtl(request.ttl().toSeconds() + "s");
    // consul-api sends a bare number, which Consul reads as seconds when it is below 1000.
    session.setLockDelay(request.lockDelay().toSeconds());
    session.setBehavior(Session.Behavior.RELEASE);
    return ConsulCalls.call(
            "create session", () -> connection.quick().sessionCreate(session, QueryParams.DEFAULT))
        .getValue();
  }

  @Override
  public boolean renew(String id) {
    try {
      ConsulCalls.call(
          "renew session", () -> connection.quick().renewSession(id, QueryParams.DEFAULT));
      return true;
    } catch (ConsulUnavailable e) {
      // 404: the session expired or was destroyed; anything else says nothing about it.
      if (e.status().orElse(0) == 404) {
        return false;
      }
      throw e;
    }
  }

  @Override
  public void destroy(String id) {
    ConsulCalls.call(
        "destroy session", () -> connection.quick().sessionDestroy(id, QueryParams.DEFAULT));
  }
}
