package dev.reviewapps.controller.config;

import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.Pem;
import dev.reviewapps.tls.TlsSetupException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS settings of a client of Consul or Nomad, named as that tool's own CLI names them ({@code
 * CONSUL_CACERT}, {@code NOMAD_CLIENT_CERT}, …), so a shell set up for {@code consul} or {@code
 * nomad} is set up for the controller and reviewctl too. Each is also a key of the config file
 * under {@code <system>.tls.}. Files are read when the configuration is loaded, so a wrong path is
 * a configuration problem naming the setting, not a failure at the first call.
 */
public final class ClientTlsConfig {
  /** Consul: verification is turned off only by {@code CONSUL_HTTP_SSL_VERIFY=false}. */
  public static final ClientTlsConfig CONSUL =
      new ClientTlsConfig("consul", "CONSUL", "verify", "CONSUL_HTTP_SSL_VERIFY", false);

  /**
   * Nomad, its keys under {@code <base>.tls.}: verification is turned off only by {@code
   * NOMAD_SKIP_VERIFY=true}, as nomad's CLI.
   */
  public static ClientTlsConfig nomad(String base) {
    return new ClientTlsConfig(base, "NOMAD", "skipVerify", "NOMAD_SKIP_VERIFY", true);
  }

  private final String system;
  private final String tool;
  private final String verifyKey;
  private final String verifyEnv;
  private final boolean skipStyle;

  private ClientTlsConfig(
      String system, String tool, String verifyKey, String verifyEnv, boolean skipStyle) {
    this.system = system;
    this.tool = tool;
    this.verifyKey = verifyKey;
    this.verifyEnv = verifyEnv;
    this.skipStyle = skipStyle;
  }

  private String path(String key) {
    return system + ".tls." + key;
  }

  /** The settings, for the list of known settings and the README. */
  public List<ConfigLoader.Setting> settings() {
    String name = tool.charAt(0) + tool.substring(1).toLowerCase(Locale.ROOT);
    return List.of(
        setting("caCert", tool + "_CACERT", "", "PEM CA that signed " + name + "'s certificate"),
        setting("clientCert", tool + "_CLIENT_CERT", "", "PEM client certificate (mutual TLS)"),
        setting("clientKey", tool + "_CLIENT_KEY", "", "PEM key of the client certificate"),
        setting(
            "serverName",
            tool + "_TLS_SERVER_NAME",
            "",
            "name " + name + "'s certificate must carry; empty: the address's host"),
        setting(
            verifyKey,
            verifyEnv,
            skipStyle ? "false" : "true",
            skipStyle
                ? "true skips certificate checks (logged as a warning)"
                : "false skips certificate checks (logged as a warning)"));
  }

  private ConfigLoader.Setting setting(String key, String env, String value, String meaning) {
    return new ConfigLoader.Setting(path(key), Optional.of(env), value, meaning);
  }

  /** The client TLS; problems (unreadable file, key without certificate) go to {@code v}. */
  public ClientTls parse(ConfigValues v) {
    Optional<Path> ca = file(v, "caCert");
    Optional<Path> cert = file(v, "clientCert");
    Optional<Path> key = file(v, "clientKey");
    Optional<String> serverName = Optional.of(v.text(path("serverName"))).filter(s -> !s.isEmpty());
    boolean flag = v.bool(path(verifyKey));
    boolean verify = skipStyle ? !flag : flag;
    boolean usable = check(v, "caCert", () -> ca.ifPresent(Pem::certificates));
    if (cert.isPresent() != key.isPresent()) {
      String missing = cert.isPresent() ? "clientKey" : "clientCert";
      String given = cert.isPresent() ? "clientCert" : "clientKey";
      v.problem(v.label(path(missing)) + ": must be set with " + v.label(path(given)));
      usable = false;
    } else if (cert.isPresent()) {
      usable &=
          check(
              v,
              "clientCert",
              () ->
                  new ClientTls(Optional.empty(), cert, key, Optional.empty(), true).sslContext());
    }
    usable &= check(v, "serverName", () -> ClientTls.defaults().withServerName(serverName));
    return usable ? new ClientTls(ca, cert, key, serverName, verify) : ClientTls.defaults();
  }

  /**
   * The client TLS from environment variables only (reviewctl, which has no config file).
   *
   * @throws TlsSetupException naming every variable that cannot be used
   */
  public ClientTls fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    ClientTls tls = parse(new ConfigLoader.Values(settings(), Map.of(), env, problems));
    if (!problems.isEmpty()) {
      throw new TlsSetupException(String.join("; ", problems));
    }
    return tls;
  }

  private Optional<Path> file(ConfigValues v, String key) {
    return Optional.of(v.text(path(key))).filter(s -> !s.isEmpty()).map(Path::of);
  }

  private boolean check(ConfigValues v, String key, Runnable use) {
    try {
      use.run();
      return true;
    } catch (TlsSetupException e) {
      v.problem(v.label(path(key)) + ": " + e.getMessage());
      return false;
    }
  }
}
