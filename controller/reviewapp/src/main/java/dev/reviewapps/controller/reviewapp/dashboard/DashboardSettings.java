package dev.reviewapps.controller.reviewapp.dashboard;

import java.net.URI;
import java.util.Objects;
import java.util.Optional;

/**
 * The dashboard's listener: its own port, so that it can be exposed (or not) apart from {@code
 * /metrics}.
 *
 * @param publicUrl where people reach the dashboard (behind a proxy, say), for links to it
 * @param token when present, every request must carry it ({@code Authorization: Bearer}, or basic
 *     auth with it as the password); the configuration allows it absent only on a loopback {@code
 *     bind}
 */
public record DashboardSettings(
    boolean enabled, String bind, int port, Optional<String> token, Optional<URI> publicUrl) {

  public DashboardSettings {
    Objects.requireNonNull(bind, "bind");
    Objects.requireNonNull(token, "token");
    Objects.requireNonNull(publicUrl, "publicUrl");
  }

  /** An app's page as people outside reach it (the PR comment links it), when that is known. */
  public Optional<String> appPage(String app) {
    return publicUrl.map(u -> u.toString().replaceAll("/+$", "") + "/apps/" + app);
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
        + ", publicUrl="
        + publicUrl.map(URI::toString).orElse("(none)")
        + "]";
  }
}
