package dev.reviewapps.controller.config;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.engine.EngineSettings;
import dev.reviewapps.controller.leader.LeaderSettings;
import dev.reviewapps.tls.ClientTls;
import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.function.Function;

/**
 * Reads the controller's JSON configuration file, applies environment overrides and defaults, and
 * validates everything at once. Each setting is a dotted path in the file ({@code
 * controller.workers} is {@code {"controller": {"workers": 4}}}); an environment variable, where
 * one exists, wins over the file. Every problem is reported with its path and variable; the ACL
 * token's value is never shown.
 */
public final class ConfigLoader {
  private ConfigLoader() {}

  /** One setting: where it lives in the file, its environment variable and its default. */
  public record Setting(String path, Optional<String> env, String defaultValue, String meaning) {}

  private static Setting setting(String path, String env, String defaultValue, String meaning) {
    return new Setting(path, Optional.ofNullable(env), defaultValue, meaning);
  }

  private static List<Setting> settings() {
    List<Setting> all = new ArrayList<>();
    all.add(
        setting(
            "consul.address",
            "CONSUL_HTTP_ADDR",
            "127.0.0.1:8500",
            "Consul agent: host:port, http://host:port or https://host:port"));
    all.add(
        setting(
            "consul.ssl",
            "CONSUL_HTTP_SSL",
            "false",
            "true: a consul.address without scheme is https://"));
    all.addAll(ClientTlsConfig.CONSUL.settings());
    all.addAll(OTHER_SETTINGS);
    return List.copyOf(all);
  }

  private static final List<Setting> OTHER_SETTINGS =
      List.of(
          setting(
              "consul.token",
              "CONSUL_HTTP_TOKEN",
              "",
              "ACL token, sent as X-Consul-Token; empty for none"),
          setting(
              "prefix",
              "REVIEW_APPS_PREFIX",
              "review-apps/",
              "KV prefix of specs/, status/, inventory/, routes/, leader"),
          setting("controller.name", null, "reviewapp", "the controller label of the metrics"),
          setting(
              "controller.workers",
              "REVIEW_APPS_WORKERS",
              "4",
              "names reconciled at once (1 to 256)"),
          setting(
              "controller.resync",
              "REVIEW_APPS_RESYNC",
              "10m",
              "how often every name is queued (1s to 24h)"),
          setting(
              "controller.watchWait",
              "REVIEW_APPS_WATCH_WAIT",
              "5m",
              "wait of the spec watch's blocking queries (1s to 10m)"),
          setting(
              "controller.backoff.base",
              "REVIEW_APPS_BACKOFF_BASE",
              "1s",
              "first retry delay of a failing name"),
          setting(
              "controller.backoff.max",
              "REVIEW_APPS_BACKOFF_MAX",
              "5m",
              "longest retry delay of a failing name"),
          setting("controller.retryBucket.ratePerSecond", null, "10", "global retries per second"),
          setting(
              "controller.retryBucket.burst", null, "100", "retries the global bucket saves up"),
          setting(
              "controller.shutdownGrace",
              "REVIEW_APPS_SHUTDOWN_GRACE",
              "30s",
              "how long running reconciles may finish at shutdown"),
          setting(
              "leader.ttl",
              "REVIEW_APPS_LEADER_TTL",
              "15s",
              "session TTL of the leader lock (at least Consul's session_ttl_min)"),
          setting(
              "leader.lockDelay",
              "REVIEW_APPS_LOCK_DELAY",
              "15s",
              "Consul lock-delay after the leader's session is invalidated (0 to 60s)"),
          setting(
              "leader.identity",
              "REVIEW_APPS_IDENTITY",
              "",
              "value of the leader key; empty means host name and process ID"),
          setting(
              "http.bind",
              "REVIEW_APPS_HTTP_BIND",
              "0.0.0.0",
              "address of /metrics, /healthz, /readyz"),
          setting(
              "http.port",
              "REVIEW_APPS_HTTP_PORT",
              "9090",
              "port of /metrics, /healthz, /readyz (0 picks a free one)"),
          setting("log.format", "REVIEW_APPS_LOG_FORMAT", "text", "text or json"),
          setting(
              "resilience.attempts", null, "3", "calls per outside operation, the first included"),
          setting(
              "resilience.retryWait",
              null,
              "200ms",
              "wait before the first retry, doubled after each"),
          setting(
              "resilience.failureRate",
              null,
              "50",
              "percentage of failures that opens a circuit breaker"),
          setting("resilience.window", null, "20", "calls a circuit breaker looks back on"),
          setting("resilience.openFor", null, "30s", "how long an open breaker refuses calls"));

  /** Every setting, in the order the README documents them. */
  public static final List<Setting> SETTINGS = settings();

  private static final ObjectMapper JSON = new ObjectMapper();

  /**
   * Loads {@code file} (if given) with overrides from {@code env}, with the {@link ConfigSection}s
   * registered on the class path.
   */
  public static ControllerConfig load(Optional<Path> file, Map<String, String> env)
      throws InvalidConfig {
    List<ConfigSection<?>> sections = new ArrayList<>();
    ServiceLoader.load(ConfigSection.class).forEach(sections::add);
    return load(file, env, sections);
  }

  /** Loads {@code file} (if given) with overrides from {@code env} and the given sections. */
  public static ControllerConfig load(
      Optional<Path> file, Map<String, String> env, List<ConfigSection<?>> sections)
      throws InvalidConfig {
    List<Setting> known = new ArrayList<>(SETTINGS);
    sections.forEach(s -> known.addAll(s.settings()));
    List<String> problems = new ArrayList<>();
    Map<String, String> fromFile = new LinkedHashMap<>();
    if (file.isPresent()) {
      try {
        flatten("", JSON.readTree(Files.readAllBytes(file.get())), fromFile, problems);
      } catch (JsonProcessingException e) {
        throw new InvalidConfig(
            List.of(file.get() + ": not valid JSON: " + e.getOriginalMessage()));
      } catch (IOException e) {
        throw new InvalidConfig(List.of(file.get() + ": cannot be read: " + e.getMessage()));
      }
    }
    for (String path : fromFile.keySet()) {
      if (known.stream().noneMatch(s -> s.path().equals(path))) {
        problems.add(path + ": unknown setting");
      }
    }
    Values v = new Values(known, fromFile, env, problems);

    String address = v.text("consul.address");
    boolean ssl = v.bool("consul.ssl");
    Optional<URI> consulAddress =
        v.parse("consul.address", text -> ConsulEndpoint.parseAddress(text, ssl));
    ClientTls consulTls = ClientTlsConfig.CONSUL.parse(v);
    Optional<String> token = Optional.of(v.text("consul.token")).filter(t -> !t.isBlank());
    String prefix = v.text("prefix");
    if (prefix.isBlank() || prefix.startsWith("/")) {
      problems.add(
          v.label("prefix")
              + ": must be a relative KV path such as review-apps/, got '"
              + prefix
              + "'");
    }
    String name = v.text("controller.name");
    if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
      problems.add(v.label("controller.name") + ": must be a lowercase word, got '" + name + "'");
    }
    int workers = v.integer("controller.workers", 1, 256);
    Duration resync = v.duration("controller.resync", Duration.ofSeconds(1), Duration.ofHours(24));
    Duration watchWait =
        v.duration("controller.watchWait", Duration.ofSeconds(1), Duration.ofMinutes(10));
    Duration backoffBase =
        v.duration("controller.backoff.base", Duration.ofMillis(1), Duration.ofHours(1));
    Duration backoffMax =
        v.duration("controller.backoff.max", Duration.ofMillis(1), Duration.ofHours(24));
    if (backoffMax.compareTo(backoffBase) < 0) {
      problems.add(
          v.label("controller.backoff.max") + ": must not be shorter than controller.backoff.base");
    }
    int rate = v.integer("controller.retryBucket.ratePerSecond", 1, 100_000);
    int burst = v.integer("controller.retryBucket.burst", 1, 100_000);
    Duration grace = v.duration("controller.shutdownGrace", Duration.ZERO, Duration.ofMinutes(10));
    Duration ttl = v.duration("leader.ttl", Duration.ofSeconds(1), Duration.ofHours(24));
    Duration lockDelay = v.duration("leader.lockDelay", Duration.ZERO, Duration.ofSeconds(60));
    String identity = v.text("leader.identity");
    String bind = v.text("http.bind");
    int port = v.integer("http.port", 0, 65535);
    Optional<LogFormat> format =
        v.parse("log.format", s -> LogFormat.valueOf(s.toUpperCase(Locale.ROOT)));
    int attempts = v.integer("resilience.attempts", 1, 10);
    Duration retryWait =
        v.duration("resilience.retryWait", Duration.ofMillis(1), Duration.ofMinutes(1));
    int failureRate = v.integer("resilience.failureRate", 1, 100);
    int window = v.integer("resilience.window", 1, 10_000);
    Duration openFor = v.duration("resilience.openFor", Duration.ofMillis(1), Duration.ofHours(1));
    Map<Class<?>, Object> parsedSections = new LinkedHashMap<>();
    for (ConfigSection<?> section : sections) {
      parsedSections.put(section.type(), section.parse(v));
    }

    if (!problems.isEmpty()) {
      throw new InvalidConfig(problems);
    }
    KeyLayout layout = new KeyLayout(prefix);
    try {
      return new ControllerConfig(
          new ConsulEndpoint(consulAddress.orElseThrow(), token, consulTls),
          layout,
          new EngineSettings(
              name, layout, workers, backoffBase, backoffMax, rate, burst, watchWait, resync),
          new LeaderSettings(
              layout.leader(), identity.isBlank() ? defaultIdentity() : identity, ttl, lockDelay),
          new HttpSettings(bind, port),
          new ResilienceSettings(attempts, retryWait, failureRate, window, openFor),
          grace,
          format.orElseThrow(),
          new ConfigSections(parsedSections));
    } catch (IllegalArgumentException e) {
      // The records' own checks, e.g. a Consul address that is no HTTP URL.
      throw new InvalidConfig(List.of(fieldOf(e, address) + e.getMessage()));
    }
  }

  private static String fieldOf(IllegalArgumentException e, String address) {
    return e.getMessage() != null && e.getMessage().contains(address)
        ? "consul.address (CONSUL_HTTP_ADDR): "
        : "";
  }

  private static String defaultIdentity() {
    String host;
    try {
      host = InetAddress.getLocalHost().getHostName();
    } catch (UnknownHostException e) {
      host = "controller";
    }
    return host + "-" + ProcessHandle.current().pid();
  }

  private static void flatten(
      String path, JsonNode node, Map<String, String> out, List<String> problems) {
    if (node.isObject()) {
      Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> f = fields.next();
        flatten(path.isEmpty() ? f.getKey() : path + "." + f.getKey(), f.getValue(), out, problems);
      }
    } else if (node.isValueNode() && !node.isNull()) {
      out.put(path, node.asText());
    } else {
      problems.add(
          (path.isEmpty() ? "(top level)" : path) + ": must be an object, a string or a number");
    }
  }

  /** Looks values up (environment, then file, then default) and collects the problems. */
  static final class Values implements ConfigValues {
    private final List<Setting> known;
    private final Map<String, String> file;
    private final Map<String, String> env;
    private final List<String> problems;

    Values(
        List<Setting> known,
        Map<String, String> file,
        Map<String, String> env,
        List<String> problems) {
      this.known = known;
      this.file = file;
      this.env = env;
      this.problems = problems;
    }

    private Setting setting(String path) {
      return known.stream().filter(s -> s.path().equals(path)).findFirst().orElseThrow();
    }

    @Override
    public void problem(String problem) {
      problems.add(problem);
    }

    @Override
    public String label(String path) {
      return path + setting(path).env().map(e -> " (" + e + ")").orElse("");
    }

    @Override
    public String text(String path) {
      Setting s = setting(path);
      return s.env()
          .map(env::get)
          .or(() -> s.env().flatMap(this::fromFile))
          .or(() -> Optional.ofNullable(file.get(path)))
          .orElse(s.defaultValue())
          .strip();
    }

    /**
     * A secret given as a file, {@code <VARIABLE>_FILE} (Consul's {@code CONSUL_HTTP_TOKEN_FILE},
     * and the same for {@code NOMAD_TOKEN} and passwords), so that it never shows in a process
     * listing or the environment of child processes. Only for tokens and passwords; an unreadable
     * file is a problem naming the variable, never the content.
     */
    private Optional<String> fromFile(String variable) {
      if (!(variable.endsWith("_TOKEN") || variable.endsWith("_PASSWORD"))) {
        return Optional.empty();
      }
      String fileVariable = variable + "_FILE";
      return Optional.ofNullable(env.get(fileVariable))
          .filter(f -> !f.isBlank())
          .flatMap(
              f -> {
                try {
                  return Optional.of(java.nio.file.Files.readString(Path.of(f.strip())));
                } catch (java.io.IOException | RuntimeException e) {
                  problems.add(fileVariable + ": cannot read " + f.strip());
                  return Optional.empty();
                }
              });
    }

    @Override
    public <T> Optional<T> parse(String path, Function<String, T> parser) {
      String text = text(path);
      try {
        return Optional.of(parser.apply(text));
      } catch (IllegalArgumentException e) {
        problems.add(label(path) + ": cannot use '" + text + "': " + e.getMessage());
        return Optional.empty();
      }
    }

    @Override
    public int integer(String path, int min, int max) {
      String text = text(path);
      try {
        int n = Integer.parseInt(text);
        if (n >= min && n <= max) {
          return n;
        }
      } catch (NumberFormatException e) {
        // Reported below like a number out of range.
      }
      problems.add(
          label(path)
              + ": must be a whole number from "
              + min
              + " to "
              + max
              + ", got '"
              + text
              + "'");
      return min;
    }

    @Override
    public Duration duration(String path, Duration min, Duration max) {
      String text = text(path);
      try {
        Duration d = GoDuration.parse(text);
        if (d.compareTo(min) >= 0 && d.compareTo(max) <= 0) {
          return d;
        }
        problems.add(
            label(path)
                + ": must be from "
                + GoDuration.format(min)
                + " to "
                + GoDuration.format(max)
                + ", got '"
                + text
                + "'");
      } catch (IllegalArgumentException e) {
        problems.add(label(path) + ": '" + text + "' is " + e.getMessage());
      }
      return min;
    }
  }
}
