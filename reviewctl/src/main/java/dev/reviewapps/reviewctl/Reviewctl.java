package dev.reviewapps.reviewctl;

import com.hashicorp.nomad.javasdk.NomadException;
import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ClientTlsSettings;
import dev.reviewapps.tls.TlsFailure;
import dev.reviewapps.tls.TlsSetupException;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;
import software.amazon.awssdk.core.exception.SdkException;

/**
 * {@code reviewctl}: the command line for people and CI. Global options follow Consul's and Nomad's
 * own conventions ({@code CONSUL_HTTP_ADDR}, {@code CONSUL_HTTP_TOKEN}, {@code NOMAD_ADDR}, {@code
 * NOMAD_TOKEN}); every failure is one line on stderr and a non-zero exit code ({@link ExitCode}).
 */
@Command(
    name = "reviewctl",
    mixinStandardHelpOptions = true,
    version = "reviewctl 0.1.0",
    description = "Review apps on Consul, Nomad and S3: apply, inspect, wait for and delete them.",
    subcommands = {
      ApplyCommand.class,
      GetCommand.class,
      DescribeCommand.class,
      DeleteCommand.class,
      LogsCommand.class,
      WaitCommand.class,
      GuardCommand.class,
      AssetsCommand.class,
      NameCommand.class,
      SleepCommand.class,
      WakeCommand.class,
      CommandLine.HelpCommand.class
    })
public final class Reviewctl implements Runnable {
  static final String DEFAULT_CONSUL = "127.0.0.1:8500";
  static final String DEFAULT_NOMAD = "http://127.0.0.1:4646";
  static final String DEFAULT_PREFIX = "review-apps/";

  @Option(
      names = "--consul",
      paramLabel = "ADDR",
      scope = ScopeType.INHERIT,
      description =
          "Consul HTTP address, host:port, http://host:port or https://host:port (env"
              + " CONSUL_HTTP_ADDR; TLS: CONSUL_CACERT, CONSUL_CLIENT_CERT, CONSUL_CLIENT_KEY,"
              + " CONSUL_TLS_SERVER_NAME).")
  String consul;

  @Option(
      names = "--token",
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      description =
          "Consul ACL token (env CONSUL_HTTP_TOKEN, or a file named by CONSUL_HTTP_TOKEN_FILE);"
              + " sent as a header, never printed.")
  String token;

  @Option(
      names = "--nomad",
      paramLabel = "ADDR",
      scope = ScopeType.INHERIT,
      description =
          "Nomad HTTP address (env NOMAD_ADDR, default "
              + DEFAULT_NOMAD
              + "; TLS: NOMAD_CACERT, NOMAD_CLIENT_CERT, NOMAD_CLIENT_KEY,"
              + " NOMAD_TLS_SERVER_NAME; NOMAD_NAMESPACE).")
  String nomad;

  @Option(
      names = "--nomad-token",
      paramLabel = "TOKEN",
      scope = ScopeType.INHERIT,
      description =
          "Nomad ACL token (env NOMAD_TOKEN, or a file named by NOMAD_TOKEN_FILE); never printed.")
  String nomadToken;

  @Option(
      names = "--prefix",
      paramLabel = "PREFIX",
      scope = ScopeType.INHERIT,
      description = "Consul KV prefix (env REVIEW_APPS_PREFIX, default " + DEFAULT_PREFIX + ").")
  String prefix;

  @Option(
      names = "--debug",
      scope = ScopeType.INHERIT,
      description = "On failure, also print the stack trace.")
  boolean debug;

  private final Terminal terminal;
  private Clients clients;

  public Reviewctl(Terminal terminal) {
    this.terminal = terminal;
  }

  public static void main(String[] args) {
    // Libraries log through logback; reviewctl's output is its own, so their logging is off
    // unless REVIEWCTL_LOG_LEVEL asks for it (the controller's logback.xml would write to stdout).
    if (System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "reviewctl-logback.xml");
    }
    System.exit(run(Terminal.system(), args));
  }

  /** Runs one command line and returns its exit code; never throws. */
  public static int run(Terminal terminal, String... args) {
    Reviewctl root = new Reviewctl(terminal);
    CommandLine cli = new CommandLine(root);
    cli.setOut(new PrintWriter(terminal.out(), true));
    cli.setErr(new PrintWriter(terminal.err(), true));
    cli.setParameterExceptionHandler(
        (e, a) -> {
          terminal
              .err()
              .println(
                  "reviewctl: "
                      + e.getMessage()
                      + " (see: "
                      + e.getCommandLine().getCommandSpec().qualifiedName()
                      + " --help)");
          return ExitCode.USAGE;
        });
    cli.setExecutionExceptionHandler((e, c, p) -> root.report(e));
    try {
      return cli.execute(args);
    } finally {
      root.close();
    }
  }

  @Override
  public void run() {
    new CommandLine(this).usage(terminal.out());
  }

  Terminal terminal() {
    return terminal;
  }

  /** The Consul, Nomad and S3 clients of this run, built on first use. */
  Clients clients() {
    if (clients == null) {
      clients = new Clients(settings());
    }
    return clients;
  }

  /** Flag first, then the variable, then the default: Consul's and Nomad's own order. */
  Settings settings() {
    return new Settings(
        pick(consul, "CONSUL_HTTP_ADDR").orElse(DEFAULT_CONSUL),
        secret(token, "CONSUL_HTTP_TOKEN"),
        terminal.variable("CONSUL_HTTP_SSL").map("true"::equalsIgnoreCase).orElse(false),
        tls(ClientTlsSettings.CONSUL),
        pick(nomad, "NOMAD_ADDR").orElse(DEFAULT_NOMAD),
        secret(nomadToken, "NOMAD_TOKEN"),
        terminal.variable("NOMAD_NAMESPACE"),
        tls(ClientTlsSettings.NOMAD),
        pick(prefix, "REVIEW_APPS_PREFIX").orElse(DEFAULT_PREFIX));
  }

  /** TLS from the tools' own variables ({@code CONSUL_CACERT}, {@code NOMAD_CLIENT_CERT}, …). */
  private ClientTls tls(ClientTlsSettings config) {
    try {
      return config.fromEnvironment(terminal.env());
    } catch (TlsSetupException e) {
      throw new CliError(e.getMessage());
    }
  }

  /**
   * A token: the flag, the variable, or the file named by {@code <VARIABLE>_FILE} (as Consul's
   * {@code CONSUL_HTTP_TOKEN_FILE}), so that CI can keep it out of process listings.
   */
  private Optional<String> secret(String flag, String variable) {
    Optional<String> direct = pick(flag, variable);
    if (direct.isPresent()) {
      return direct;
    }
    Optional<String> file = terminal.variable(variable + "_FILE").filter(f -> !f.isBlank());
    if (file.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Files.readString(Path.of(file.get().strip())).strip())
          .filter(t -> !t.isEmpty());
    } catch (IOException | RuntimeException e) {
      throw new CliError(variable + "_FILE: cannot read " + file.get().strip());
    }
  }

  private Optional<String> pick(String flag, String variable) {
    return flag != null && !flag.isBlank()
        ? Optional.of(flag.strip())
        : terminal.variable(variable);
  }

  private int report(Exception e) {
    if (debug) {
      StringWriter trace = new StringWriter();
      e.printStackTrace(new PrintWriter(trace));
      terminal.err().print(trace);
    }
    terminal.err().println("reviewctl: " + oneLine(describe(e)));
    return e instanceof CliError c ? c.exitCode() : ExitCode.ERROR;
  }

  private String describe(Exception e) {
    if (e instanceof CliError) {
      return e.getMessage();
    }
    if (e instanceof ConsulUnavailable c) {
      // The address helps when it is the wrong one; it never carries the token.
      return c.getMessage() + (c.status().isEmpty() ? " at " + settings().consul() : "");
    }
    if (e instanceof NomadException n) {
      return "Nomad answered: " + n.getMessage();
    }
    // Consul's TLS failures arrive as ConsulUnavailable above; Nomad's as the SDK's IOException.
    Optional<String> tls = TlsFailure.explain(e, "NOMAD");
    if (tls.isPresent()) {
      return "Nomad at " + settings().nomad() + ": " + tls.get();
    }
    if (e instanceof SdkException s) {
      return "AWS: " + s.getMessage();
    }
    if (e instanceof IOException io) {
      return "I/O failed (" + io.getClass().getSimpleName() + "): " + io.getMessage();
    }
    return e.getClass().getSimpleName() + ": " + e.getMessage();
  }

  private static String oneLine(String text) {
    String flat = text == null ? "" : text.replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
    return flat.length() <= 500 ? flat : flat.substring(0, 500) + "...";
  }

  private void close() {
    if (clients != null) {
      clients.close();
    }
  }
}
