package dev.reviewapps.controller.reviewapp.dashboard;

import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's listener: its own port, so that it can be exposed (or not) apart from {@code
 * /metrics}.
 *
 * @param token when present, every request must carry it ({@code Authorization: Bearer}, or basic
 *     auth with it as the password); the configuration allows it absent only on a loopback {@code
 *     bind}
 */
public record DashboardSettings(boolean enabled, String bind, int port, Optional<String> token) {

  public DashboardSettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(token, "token");
  }

  /** Never shows the token. */
  @Override
  public String toString() {
    return "DashboardSettings[enabled="
        + enabled
        + ", bind="
        + bind
        + ", port="
        + port
        + ", token="
        + (token.isPresent() ? "(secret)" : "(none)")
        + "]";
  }
}
