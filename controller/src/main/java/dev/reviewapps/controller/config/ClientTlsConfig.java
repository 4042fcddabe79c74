package dev.reviewapps.controller.config;

import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ClientTlsSettings;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * The TLS settings of a client of Consul or Nomad as settings of the controller: each field of
 * {@link ClientTlsSettings} is a key of the config file under {@code <system>.tls.} and the tool's
 * own environment variable ({@code CONSUL_CACERT}, {@code NOMAD_CLIENT_CERT}, …). The rules are
 * {@link ClientTlsSettings}'s, shared with reviewctl.
 */
public final class ClientTlsConfig {
  /** Consul's, under {@code consul.tls.}. */
  public static final ClientTlsConfig CONSUL =
      new ClientTlsConfig("consul", ClientTlsSettings.CONSUL);

  /** Nomad's, its keys under {@code <base>.tls.}. */
  public static ClientTlsConfig nomad(String base) {
    return new ClientTlsConfig(base, ClientTlsSettings.NOMAD);
  }

  private final String system;
  private final ClientTlsSettings tls;

  private ClientTlsConfig(String system, ClientTlsSettings tls) {
    this.system = system;
    this.tls = tls;
  }

  private String path(String field) {
    return system + ".tls." + field;
  }

  /** The settings, for the list of known settings and the README. */
  public List<ConfigLoader.Setting> settings() {
    return Stream.concat(
            ClientTlsSettings.FILE_AND_NAME_FIELDS.stream(), Stream.of(tls.verifyField()))
        .map(
            field ->
                new ConfigLoader.Setting(
                    path(field),
                    Optional.of(tls.variable(field)),
                    tls.defaultValue(field),
                    tls.meaning(field)))
        .toList();
  }

  /** The client TLS; problems (unreadable file, key without certificate) go to {@code v}. */
  public ClientTls parse(ConfigValues v) {
    return tls.parse(
        new ClientTlsSettings.Values() {
          @Override
          public String text(String field) {
            return v.text(path(field));
          }

          @Override
          public String label(String field) {
            return v.label(path(field));
          }

          @Override
          public void problem(String problem) {
            v.problem(problem);
          }
        });
  }
}
