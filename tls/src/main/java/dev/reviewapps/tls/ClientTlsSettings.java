package dev.reviewapps.tls;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The TLS settings of a client of Consul or Nomad and the rules that turn them into a {@link
 * ClientTls}, named as that tool's own CLI names them ({@code CONSUL_CACERT}, {@code
 * NOMAD_CLIENT_CERT}, …), so that a shell set up for {@code consul} or {@code nomad} is set up for
 * the controller and reviewctl too. The controller reads the same fields from its configuration
 * (file or environment) through {@link Values}; reviewctl reads the environment ({@link
 * #fromEnvironment}). Files are read here, so a wrong path is a problem naming the setting, not a
 * failure at the first call.
 */
public final class ClientTlsSettings {
  /** Consul: verification is turned off only by {@code CONSUL_HTTP_SSL_VERIFY=false}. */
  public static final ClientTlsSettings CONSUL =
      new ClientTlsSettings("CONSUL", "verify", "CONSUL_HTTP_SSL_VERIFY", false);

  /** Nomad: verification is turned off only by {@code NOMAD_SKIP_VERIFY=true}, as nomad's CLI. */
  public static final ClientTlsSettings NOMAD =
      new ClientTlsSettings("NOMAD", "skipVerify", "NOMAD_SKIP_VERIFY", true);

  /** The fields besides the verification flag ({@link #verifyField()}). */
  public static final List<String> FILE_AND_NAME_FIELDS =
      List.of("caCert", "clientCert", "clientKey", "serverName");

  /**
   * Where the fields' values come from: {@code field} is one of {@link #FILE_AND_NAME_FIELDS} or
   * {@link #verifyField()}.
   */
  public interface Values {
    /** The value, stripped; empty when not set. */
    String text(String field);

    /**
     * The flag: {@code true} or {@code 1}, {@code false} or {@code 0}, in any case; anything else
     * is a {@link #problem} (and false). The one rule for on/off settings, in files and in
     * environment variables alike.
     */
    default boolean bool(String field) {
      String text = text(field).toLowerCase(Locale.ROOT);
      switch (text) {
        case "true", "1" -> {
          return true;
        }
        case "false", "0" -> {
          return false;
        }
        default -> {
          problem(label(field) + ": must be true or false, got '" + text + "'");
          return false;
        }
      }
    }

    /** How the field is named to the user, e.g. {@code consul.tls.caCert (CONSUL_CACERT)}. */
    String label(String field);

    void problem(String problem);
  }

  private final String tool;
  private final String verifyField;
  private final String verifyVariable;
  private final boolean skipStyle;

  private ClientTlsSettings(
      String tool, String verifyField, String verifyVariable, boolean skipStyle) {
    this.tool = tool;
    this.verifyField = verifyField;
    this.verifyVariable = verifyVariable;
    this.skipStyle = skipStyle;
  }

  /** {@code verify} (Consul) or {@code skipVerify} (Nomad). */
  public String verifyField() {
    return verifyField;
  }

  /** The tool's own environment variable of {@code field}, e.g. {@code NOMAD_CLIENT_KEY}. */
  public String variable(String field) {
    return switch (field) {
      case "caCert" -> tool + "_CACERT";
      case "clientCert" -> tool + "_CLIENT_CERT";
      case "clientKey" -> tool + "_CLIENT_KEY";
      case "serverName" -> tool + "_TLS_SERVER_NAME";
      default -> {
        if (field.equals(verifyField)) {
          yield verifyVariable;
        }
        throw new IllegalArgumentException("no TLS field " + field);
      }
    };
  }

  /** The value of {@code field} when nothing sets it. */
  public String defaultValue(String field) {
    return field.equals(verifyField) ? (skipStyle ? "false" : "true") : "";
  }

  /** What {@code field} means, for the list of settings and the README. */
  public String meaning(String field) {
    String name = tool.charAt(0) + tool.substring(1).toLowerCase(Locale.ROOT);
    return switch (field) {
      case "caCert" -> "PEM CA that signed " + name + "'s certificate";
      case "clientCert" -> "PEM client certificate (mutual TLS)";
      case "clientKey" -> "PEM key of the client certificate";
      case "serverName" -> "name " + name + "'s certificate must carry; empty: the address's host";
      default ->
          skipStyle
              ? "true skips certificate checks (logged as a warning)"
              : "false skips certificate checks (logged as a warning)";
    };
  }

  /** The client TLS; problems (unreadable file, key without certificate) go to {@code v}. */
  public ClientTls parse(Values v) {
    Optional<Path> ca = file(v, "caCert");
    Optional<Path> cert = file(v, "clientCert");
    Optional<Path> key = file(v, "clientKey");
    Optional<String> serverName = Optional.of(v.text("serverName")).filter(s -> !s.isEmpty());
    boolean flag = v.bool(verifyField);
    boolean verify = skipStyle ? !flag : flag;
    boolean usable = check(v, "caCert", () -> ca.ifPresent(Pem::certificates));
    if (cert.isPresent() != key.isPresent()) {
      String missing = cert.isPresent() ? "clientKey" : "clientCert";
      String given = cert.isPresent() ? "clientCert" : "clientKey";
      v.problem(v.label(missing) + ": must be set with " + v.label(given));
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
   * The client TLS from the tool's environment variables only (reviewctl, which has no config
   * file).
   *
   * @throws TlsSetupException naming every variable that cannot be used
   */
  public ClientTls fromEnvironment(Map<String, String> env) {
    List<String> problems = new ArrayList<>();
    ClientTls tls =
        parse(
            new Values() {
              @Override
              public String text(String field) {
                return Optional.ofNullable(env.get(variable(field)))
                    .orElse(defaultValue(field))
                    .strip();
              }

              @Override
              public String label(String field) {
                return variable(field);
              }

              @Override
              public void problem(String problem) {
                problems.add(problem);
              }
            });
    if (!problems.isEmpty()) {
      throw new TlsSetupException(String.join("; ", problems));
    }
    return tls;
  }

  private static Optional<Path> file(Values v, String field) {
    return Optional.of(v.text(field)).filter(s -> !s.isEmpty()).map(Path::of);
  }

  private static boolean check(Values v, String field, Runnable use) {
    try {
      use.run();
      return true;
    } catch (TlsSetupException e) {
      v.problem(v.label(field) + ": " + e.getMessage());
      return false;
    }
  }
}
