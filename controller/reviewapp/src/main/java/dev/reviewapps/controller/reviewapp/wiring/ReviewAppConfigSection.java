package dev.reviewapps.controller.reviewapp.wiring;

import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.config.ClientTlsConfig;
import dev.reviewapps.controller.config.ConfigLoader.Setting;
import dev.reviewapps.controller.config.ConfigSection;
import dev.reviewapps.controller.config.ConfigValues;
import dev.reviewapps.controller.reviewapp.DataSources;
import dev.reviewapps.controller.reviewapp.DatabaseSettings;
import dev.reviewapps.controller.reviewapp.ReviewAppSettings;
import dev.reviewapps.controller.reviewapp.cost.CostModel;
import dev.reviewapps.controller.reviewapp.cost.PriceTable;
import dev.reviewapps.controller.reviewapp.dashboard.DashboardSettings;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.nomad.ReviewAppJobs;
import dev.reviewapps.controller.reviewapp.nomad.TaskDriver;
import dev.reviewapps.controller.reviewapp.nomad.TaskRole;
import dev.reviewapps.controller.reviewapp.teardown.TeardownSettings;
import dev.reviewapps.model.naming.HostTemplate;
import dev.reviewapps.tls.ClientTls;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The {@code reviewapp} section of the controller's configuration file: its keys, variables and
 * defaults (documented in controller/reviewapp/README.md), parsed into a {@link ReviewAppConfig}
 * with every problem named by field and variable. Values of secrets are never put into a problem.
 */
public final class ReviewAppConfigSection implements ConfigSection<ReviewAppConfig> {

  private static final String P = "reviewapp.";
  private static final ClientTlsConfig NOMAD_TLS = ClientTlsConfig.nomad(P + "nomad");

  private static Setting setting(String path, String env, String defaultValue, String meaning) {
    return new Setting(P + path, Optional.ofNullable(env), defaultValue, meaning);
  }

  /** Every key of the section, in the order the README documents them. */
  public static final List<Setting> SETTINGS = allSettings();

  private static List<Setting> allSettings() {
    List<Setting> s = new ArrayList<>();
    s.add(setting("hostTemplate", "REVIEW_APPS_HOST_TEMPLATE", "", "host of an app, required"));
    s.add(setting("urlScheme", "REVIEW_APPS_URL_SCHEME", "http", "http or https"));
    s.add(setting("recheck", null, "2s", "wait before a waiting step looks again"));
    s.add(setting("readyRecheck", null, "30s", "how often a Ready app is looked at"));
    s.add(
        setting(
            "sleep.defaultAfter",
            "REVIEW_APPS_SLEEP_DEFAULT_AFTER",
            "0",
            "idle time before an app without sleepAfter sleeps; 0: never"));
    s.add(setting("nomad.address", "NOMAD_ADDR", "http://127.0.0.1:4646", "Nomad API"));
    s.add(setting("nomad.token", "NOMAD_TOKEN", "", "Nomad ACL token, secret"));
    s.add(setting("nomad.region", "NOMAD_REGION", "", "Nomad region; empty: the agent's"));
    s.add(
        setting(
            "nomad.namespace",
            "NOMAD_NAMESPACE",
            "",
            "Nomad namespace of every job; empty: the token's default"));
    s.addAll(NOMAD_TLS.settings());
    s.add(
        setting(
            "instance",
            "REVIEW_APPS_INSTANCE",
            ReviewAppJobs.DEFAULT_INSTANCE,
            "name of this installation, marked on every Nomad job; installations sharing a Nomad"
                + " namespace need different names"));
    s.add(
        setting("nomad.datacenter", "REVIEW_APPS_NOMAD_DATACENTER", "dc1", "comma-separated list"));
    s.add(setting("nomad.driver", "REVIEW_APPS_NOMAD_DRIVER", "docker", "docker or raw_exec"));
    s.add(
        setting(
            "nomad.webShutdownDelay",
            null,
            "30s",
            "old web keeps serving this long after a deploy"));
    s.add(
        setting(
            "nomad.webHealthyDeadline",
            null,
            "5m",
            "how long a new release's web may take to pass its check before its deploy fails"));
    s.add(
        setting(
            "nomad.healthInterval",
            null,
            "5s",
            "how often Nomad checks a web process; its first pass after start waits this long"));
    s.add(setting("nomad.healthTimeout", null, "2s", "how long one web check may take"));
    s.add(
        setting(
            "nomad.watchAllocations",
            null,
            "true",
            "a blocking query on Nomad's allocations queues an app when one of its allocations"
                + " changes; false: waiting steps look again every recheck only"));
    for (TaskRole role : TaskRole.values()) {
      s.add(
          setting(
              "nomad.rawExec." + role.label(),
              null,
              TaskDriver.RawExec.withDefaults().templates().get(role),
              "raw_exec command template of the " + role.label() + " task"));
    }
    s.add(setting("aws.region", "AWS_REGION", "", "AWS region; empty: the SDK's default chain"));
    s.add(setting("aws.endpoint", "REVIEW_APPS_AWS_ENDPOINT", "", "endpoint override"));
    s.add(setting("capacity.provider", "REVIEW_APPS_CAPACITY_PROVIDER", "static", "static/asg"));
    s.add(setting("capacity.asgName", "REVIEW_APPS_ASG_NAME", "", "Auto Scaling Group (asg)"));
    s.add(setting("capacity.staticNodes", null, "1", "Nomad clients (static)"));
    s.add(setting("capacity.instanceCpuMhz", null, "4000", "CPU of one instance"));
    s.add(setting("capacity.instanceMemoryMb", null, "8192", "memory of one instance"));
    s.add(setting("capacity.headroomPercent", null, "10", "share of each instance kept free"));
    s.add(setting("capacity.spareInstances", null, "0", "instances added on top"));
    s.add(
        setting("database.shared.jdbcUrl", "REVIEW_APPS_POSTGRES_JDBC_URL", "", "admin JDBC URL"));
    s.add(setting("database.shared.username", "REVIEW_APPS_POSTGRES_USER", "postgres", "admin"));
    s.add(
        setting(
            "database.shared.password",
            "REVIEW_APPS_POSTGRES_PASSWORD",
            "",
            "secret, never shown"));
    s.add(
        setting(
            "database.shared.endpoint",
            "REVIEW_APPS_POSTGRES_ENDPOINT",
            "",
            "host:port of the shared server as jobs reach it"));
    s.add(
        setting(
            "database.shared.templates",
            "REVIEW_APPS_POSTGRES_TEMPLATES",
            "",
            "comma-separated databases a spec may clone (database.template); none by default"));
    s.add(
        setting(
            "database.snapshots.allowed",
            null,
            "",
            "comma-separated snapshot id/ARN patterns a spec may restore (* any run); none"));
    s.add(setting("database.rds.masterUsername", null, "reviewapp", "user in snapshots"));
    s.add(setting("database.rds.snapshotInstanceClass", null, "db.t3.micro", "restore class"));
    s.add(setting("database.rds.snapshotDatabaseName", null, "app", "database in snapshots"));
    s.add(setting("database.rds.recheck", null, "15s", "wait while an instance is created"));
    s.add(setting("assets.bucket", "REVIEW_APPS_ASSETS_BUCKET", "", "S3 bucket of assets"));
    s.add(setting("assets.prefix", null, "assets/", "key prefix before <name>/"));
    s.add(setting("teardown.finalSnapshot", null, "false", "final snapshot of RDS instances"));
    s.add(setting("teardown.predestroyAttempts", null, "3", "starts of a failing predestroy"));
    s.add(setting("teardown.predestroyTimeout", null, "10m", "longest predestroy attempt"));
    s.add(setting("teardown.holdRecheck", null, "30s", "wait while the gate holds a teardown"));
    s.add(setting("gc.repository", "REVIEW_APPS_GC_REPOSITORY", "", "git remote of branches"));
    s.add(setting("gc.interval", null, "10m", "how often branches are listed"));
    s.add(setting("gc.grace", null, "1h", "how long a gone branch's app is kept"));
    s.add(setting("gc.source", "REVIEW_APPS_GC_SOURCE", "git", "git or github"));
    s.add(setting("gc.listingTimeout", null, "1m", "how long one branch listing may take"));
    s.add(setting("gc.github.apiUrl", null, "https://api.github.com", "GitHub API base"));
    s.add(
        setting(
            "github.repository",
            "REVIEW_APPS_GITHUB_REPOSITORY",
            "",
            "owner/name: deployments and PR comments; empty: off"));
    s.add(
        setting(
            "github.apiUrl",
            "REVIEW_APPS_GITHUB_API_URL",
            "https://api.github.com",
            "GitHub API base for deployments and comments"));
    s.add(
        setting("github.token", "GITHUB_TOKEN", "", "token for deployments and comments, secret"));
    s.add(setting("gc.github.token", "REVIEW_APPS_GITHUB_TOKEN", "", "GitHub token, secret"));
    s.add(setting("dashboard.enabled", "REVIEW_APPS_DASHBOARD_ENABLED", "true", "serve it"));
    s.add(
        setting(
            "dashboard.bind",
            "REVIEW_APPS_DASHBOARD_BIND",
            "127.0.0.1",
            "address of the dashboard; not loopback: a token is required"));
    s.add(setting("dashboard.port", "REVIEW_APPS_DASHBOARD_PORT", "8090", "0: a free port"));
    s.add(
        setting(
            "dashboard.token",
            "REVIEW_APPS_DASHBOARD_TOKEN",
            "",
            "bearer token or basic-auth password of the dashboard, secret; empty: open"));
    s.add(
        setting(
            "dashboard.publicUrl",
            "REVIEW_APPS_DASHBOARD_PUBLIC_URL",
            "",
            "where people reach the dashboard; the PR comment links an app's page"));
    s.add(setting("ttl.default", "REVIEW_APPS_TTL_DEFAULT", "", "TTL of specs without one"));
    s.add(setting("orphans.interval", null, "1h", "how often the orphan sweep runs"));
    s.add(setting("orphans.dryRun", "REVIEW_APPS_ORPHANS_DRY_RUN", "true", "true: only list"));
    s.add(setting("guard.maxDeletions", null, "10", "most apps deleted at once"));
    s.add(setting("guard.maxShare", null, "0.5", "largest share of apps deleted at once"));
    s.add(setting("guard.shareFloor", null, "2", "the share rule applies above this count"));
    s.add(setting("guard.interval", null, "30s", "how often a hold is looked at again"));
    s.add(setting("quota.max", "REVIEW_APPS_QUOTA_MAX", "0", "most apps at once; 0: no limit"));
    s.add(setting("quota.recheck", null, "15s", "how often a queued app asks again"));
    s.add(
        setting(
            "quota.maxDollarsPerHour",
            "REVIEW_APPS_QUOTA_MAX_DOLLARS_PER_HOUR",
            "0",
            "budget of all apps in dollars per hour; 0: none"));
    PriceTable us = PriceTable.US_EAST_1;
    s.add(setting("cost.instancePerHour", null, dollars(us.instancePerHour()), "one ASG instance"));
    s.add(
        setting(
            "cost.rdsPerHour",
            null,
            us.rdsPerHour().entrySet().stream()
                .map(e -> e.getKey() + "=" + dollars(e.getValue()))
                .collect(java.util.stream.Collectors.joining(",")),
            "RDS classes, class=dollars,..."));
    s.add(
        setting(
            "cost.rdsUnknownPerHour", null, dollars(us.rdsUnknownPerHour()), "a class not listed"));
    s.add(
        setting(
            "cost.storagePerGbMonth", null, dollars(us.storagePerGbMonth()), "database storage"));
    s.add(
        setting(
            "cost.sharedServerPerHour",
            null,
            dollars(us.sharedServerPerHour()),
            "the shared PostgreSQL server"));
    s.add(
        setting(
            "cost.sharedServerApps",
            null,
            Integer.toString(us.sharedServerApps()),
            "apps the shared server is sized for"));
    s.add(
        setting(
            "cost.sharedDatabaseGb",
            null,
            dollars(us.sharedDatabaseGb()),
            "storage counted per shared-mode app"));
    return List.copyOf(s);
  }

  @Override
  public Class<ReviewAppConfig> type() {
    return ReviewAppConfig.class;
  }

  @Override
  public List<Setting> settings() {
    return SETTINGS;
  }

  @Override
  public ReviewAppConfig parse(ConfigValues v) {
    HostTemplate placeholderHosts = new HostTemplate("{name}.invalid");
    HostTemplate hosts =
        required(v, "hostTemplate")
            .flatMap(t -> v.parse(P + "hostTemplate", HostTemplate::new))
            .orElse(placeholderHosts);
    String scheme = v.text(P + "urlScheme");
    if (!scheme.equals("http") && !scheme.equals("https")) {
      v.problem(v.label(P + "urlScheme") + ": must be http or https, got '" + scheme + "'");
    }
    Duration recheck = v.duration(P + "recheck", Duration.ofMillis(10), Duration.ofMinutes(10));
    Duration readyRecheck =
        v.duration(P + "readyRecheck", Duration.ofSeconds(1), Duration.ofHours(24));
    Optional<Duration> sleepAfter =
        v.text(P + "sleep.defaultAfter").equals("0")
            ? Optional.empty()
            : Optional.of(
                v.duration(P + "sleep.defaultAfter", Duration.ofSeconds(1), Duration.ofDays(30)));

    URI nomadAddress = httpUri(v, "nomad.address").orElse(URI.create("http://invalid"));
    Optional<Secret> nomadToken = optional(v, "nomad.token").map(Secret::new);
    Optional<String> nomadRegion = optional(v, "nomad.region");
    Optional<String> nomadNamespace = optional(v, "nomad.namespace");
    nomadNamespace
        .filter(n -> !n.matches("[a-zA-Z0-9-]{1,128}"))
        .ifPresent(
            n ->
                v.problem(
                    v.label(P + "nomad.namespace")
                        + ": must be letters, digits and '-' (as Nomad names namespaces), got '"
                        + n
                        + "'"));
    ClientTls nomadTls = NOMAD_TLS.parse(v);
    String instance = v.text(P + "instance");
    if (!instance.matches("[a-z0-9][a-z0-9-]{0,62}")) {
      v.problem(
          v.label(P + "instance")
              + ": must be lowercase letters, digits and '-', at most 63, got '"
              + instance
              + "'");
    }
    List<String> datacenters =
        Arrays.stream(v.text(P + "nomad.datacenter").split(","))
            .map(String::strip)
            .filter(d -> !d.isEmpty())
            .toList();
    if (datacenters.isEmpty()) {
      v.problem(v.label(P + "nomad.datacenter") + ": must name at least one datacenter");
    }
    String driverName = v.text(P + "nomad.driver");
    TaskDriver driver;
    if (driverName.equals("docker")) {
      driver = new TaskDriver.Docker();
    } else if (driverName.equals("raw_exec")) {
      Map<TaskRole, String> templates = new EnumMap<>(TaskRole.class);
      for (TaskRole role : TaskRole.values()) {
        String path = P + "nomad.rawExec." + role.label();
        String template = v.text(path);
        if (template.isEmpty()) {
          v.problem(v.label(path) + ": must not be empty");
        }
        templates.put(role, template);
      }
      driver = new TaskDriver.RawExec(templates);
    } else {
      v.problem(
          v.label(P + "nomad.driver") + ": must be docker or raw_exec, got '" + driverName + "'");
      driver = new TaskDriver.Docker();
    }
    ReviewAppJobs.Settings defaults = ReviewAppJobs.Settings.defaults(driver);
    ReviewAppJobs.Settings jobs =
        new ReviewAppJobs.Settings(
            datacenters.isEmpty() ? defaults.datacenters() : datacenters,
            driver,
            defaults.redis(),
            defaults.release(),
            v.duration(P + "nomad.healthInterval", Duration.ofMillis(500), Duration.ofMinutes(5)),
            v.duration(P + "nomad.healthTimeout", Duration.ofMillis(100), Duration.ofMinutes(1)),
            v.duration(P + "nomad.webShutdownDelay", Duration.ZERO, Duration.ofMinutes(10)),
            v.duration(P + "nomad.webHealthyDeadline", Duration.ofSeconds(1), Duration.ofHours(1)));

    Optional<String> region = optional(v, "aws.region");
    Optional<URI> endpoint =
        optional(v, "aws.endpoint").isPresent() ? httpUri(v, "aws.endpoint") : Optional.empty();

    String providerName = v.text(P + "capacity.provider");
    ReviewAppConfig.Capacity.Provider provider = ReviewAppConfig.Capacity.Provider.STATIC;
    try {
      provider = ReviewAppConfig.Capacity.Provider.valueOf(providerName.toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      v.problem(
          v.label(P + "capacity.provider") + ": must be static or asg, got '" + providerName + "'");
    }
    Optional<String> asg = optional(v, "capacity.asgName");
    if (provider == ReviewAppConfig.Capacity.Provider.ASG && asg.isEmpty()) {
      v.problem(v.label(P + "capacity.asgName") + ": required when capacity.provider is asg");
    }
    int staticNodes = v.integer(P + "capacity.staticNodes", 1, 100_000);
    int cpu = v.integer(P + "capacity.instanceCpuMhz", 1, 10_000_000);
    int memory = v.integer(P + "capacity.instanceMemoryMb", 1, 100_000_000);
    int headroom = v.integer(P + "capacity.headroomPercent", 0, 90);
    int spare = v.integer(P + "capacity.spareInstances", 0, 1_000);

    String jdbcUrl = required(v, "database.shared.jdbcUrl").orElse("");
    if (!jdbcUrl.isEmpty() && !jdbcUrl.startsWith("jdbc:postgresql://")) {
      // The URL is not echoed: it may carry a password parameter.
      v.problem(v.label(P + "database.shared.jdbcUrl") + ": must start with jdbc:postgresql://");
    }
    String username = required(v, "database.shared.username").orElse("");
    // Read as it is, never validated against a pattern nor echoed: any password is allowed.
    Secret password = new Secret(v.text(P + "database.shared.password"));
    String sharedEndpoint = required(v, "database.shared.endpoint").orElse("");
    if (!sharedEndpoint.isEmpty() && !sharedEndpoint.matches("[^\\s:/]+:\\d{1,5}")) {
      v.problem(
          v.label(P + "database.shared.endpoint")
              + ": must be host:port, got '"
              + sharedEndpoint
              + "'");
    }
    DatabaseSettings databases =
        new DatabaseSettings(
            sharedEndpoint,
            v.text(P + "database.rds.masterUsername"),
            v.text(P + "database.rds.snapshotInstanceClass"),
            v.text(P + "database.rds.snapshotDatabaseName"),
            v.duration(P + "database.rds.recheck", Duration.ofSeconds(1), Duration.ofHours(1)),
            new DataSources(
                Set.copyOf(commaList(v.text(P + "database.shared.templates"))),
                commaList(v.text(P + "database.snapshots.allowed"))));
    databases
        .dataSources()
        .problem()
        .ifPresent(p -> v.problem(v.label(P + "database.shared.templates") + ": " + p));

    ReviewAppConfig.Assets assets =
        new ReviewAppConfig.Assets(optional(v, "assets.bucket"), v.text(P + "assets.prefix"));
    String finalSnapshot = v.text(P + "teardown.finalSnapshot");
    if (!finalSnapshot.equals("true") && !finalSnapshot.equals("false")) {
      v.problem(
          v.label(P + "teardown.finalSnapshot")
              + ": must be true or false, got '"
              + finalSnapshot
              + "'");
    }
    TeardownSettings teardown =
        new TeardownSettings(
            finalSnapshot.equals("true"),
            v.integer(P + "teardown.predestroyAttempts", 1, 100),
            v.duration(P + "teardown.predestroyTimeout", Duration.ofSeconds(1), Duration.ofDays(1)),
            v.duration(P + "teardown.holdRecheck", Duration.ofSeconds(1), Duration.ofHours(1)),
            recheck,
            databases.rdsRecheck());
    ReviewAppConfig.Gc gc =
        new ReviewAppConfig.Gc(
            optional(v, "gc.repository"),
            v.duration(P + "gc.interval", Duration.ofSeconds(1), Duration.ofDays(1)),
            v.duration(P + "gc.grace", Duration.ZERO, Duration.ofDays(365)));

    ReviewAppConfig.Lifecycle lifecycle = lifecycle(v, gc);

    PriceTable prices =
        new PriceTable(
            money(v, "cost.instancePerHour"),
            v.parse(P + "cost.rdsPerHour", ReviewAppConfigSection::rdsPrices).orElse(Map.of()),
            money(v, "cost.rdsUnknownPerHour"),
            money(v, "cost.storagePerGbMonth"),
            money(v, "cost.sharedServerPerHour"),
            v.integer(P + "cost.sharedServerApps", 1, 1_000_000),
            money(v, "cost.sharedDatabaseGb"));
    CostModel costs = new CostModel(prices, new Footprint(cpu, memory), headroom / 100.0);
    Optional<String> githubRepository = optional(v, "github.repository");
    if (githubRepository.isPresent()
        && !githubRepository.get().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
      // Not echoed: a URL given by mistake may carry credentials.
      v.problem(v.label(P + "github.repository") + ": must be owner/name, e.g. acme/shop");
    }
    ReviewAppConfig.GitHub github =
        new ReviewAppConfig.GitHub(
            githubRepository,
            httpUri(v, "github.apiUrl").orElse(URI.create("https://invalid")),
            optional(v, "github.token").map(Secret::new));
    DashboardSettings dashboard = dashboard(v);
    return new ReviewAppConfig(
        new ReviewAppSettings(hosts, scheme, recheck, readyRecheck, sleepAfter, costs),
        databases,
        new ReviewAppConfig.SharedPostgres(jdbcUrl, username, password),
        new ReviewAppConfig.Nomad(
            nomadAddress,
            nomadToken,
            nomadRegion,
            nomadNamespace,
            nomadTls,
            instance,
            v.bool(P + "nomad.watchAllocations")),
        jobs,
        new ReviewAppConfig.Aws(region, endpoint),
        new ReviewAppConfig.Capacity(
            provider, asg, staticNodes, new Footprint(cpu, memory), headroom / 100.0, spare),
        assets,
        gc,
        teardown,
        lifecycle,
        github,
        dashboard);
  }

  private static DashboardSettings dashboard(ConfigValues v) {
    boolean enabled = v.bool(P + "dashboard.enabled");
    String bind = v.text(P + "dashboard.bind");
    int port = v.integer(P + "dashboard.port", 0, 65535);
    Optional<String> token = optional(v, "dashboard.token");
    if (enabled && token.isEmpty() && !loopback(bind)) {
      v.problem(
          v.label(P + "dashboard.token")
              + ": required when "
              + v.label(P + "dashboard.bind")
              + " is not a loopback address (got '"
              + bind
              + "'); the dashboard is open only on loopback");
    }
    Optional<URI> publicUrl =
        optional(v, "dashboard.publicUrl").isPresent()
            ? httpUri(v, "dashboard.publicUrl")
            : Optional.empty();
    return new DashboardSettings(enabled, bind, port, token, publicUrl);
  }

  /** A literal loopback address or localhost: no name is looked up to decide. */
  private static boolean loopback(String bind) {
    return bind.equals("localhost")
        || bind.equals("::1")
        || bind.equals("[::1]")
        || bind.matches("127\\.\\d{1,3}\\.\\d{1,3}\\.\\d{1,3}");
  }

  private static ReviewAppConfig.Lifecycle lifecycle(ConfigValues v, ReviewAppConfig.Gc gc) {
    String sourceName = v.text(P + "gc.source");
    ReviewAppConfig.Lifecycle.BranchSourceKind source =
        ReviewAppConfig.Lifecycle.BranchSourceKind.GIT;
    if (sourceName.equals("github")) {
      source = ReviewAppConfig.Lifecycle.BranchSourceKind.GITHUB;
      if (gc.repository().isPresent()
          && !gc.repository().get().matches("[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+")) {
        // Not echoed: a git URL given by mistake may carry credentials.
        v.problem(v.label(P + "gc.repository") + ": must be owner/name when gc.source is github");
      }
    } else if (!sourceName.equals("git")) {
      v.problem(v.label(P + "gc.source") + ": must be git or github, got '" + sourceName + "'");
    }
    URI githubApi = httpUri(v, "gc.github.apiUrl").orElse(URI.create("https://invalid"));
    Optional<Secret> githubToken = optional(v, "gc.github.token").map(Secret::new);
    Duration listingTimeout =
        v.duration(P + "gc.listingTimeout", Duration.ofSeconds(1), Duration.ofMinutes(30));
    Optional<Duration> defaultTtl =
        optional(v, "ttl.default").isPresent()
            ? Optional.of(
                v.duration(P + "ttl.default", Duration.ofMinutes(1), Duration.ofDays(3650)))
            : Optional.empty();
    Duration orphansInterval =
        v.duration(P + "orphans.interval", Duration.ofSeconds(1), Duration.ofDays(7));
    String dryRun = v.text(P + "orphans.dryRun");
    if (!dryRun.equals("true") && !dryRun.equals("false")) {
      v.problem(v.label(P + "orphans.dryRun") + ": must be true or false, got '" + dryRun + "'");
    }
    int maxDeletions = v.integer(P + "guard.maxDeletions", 0, 1_000_000);
    double maxShare =
        v.parse(
                P + "guard.maxShare",
                text -> {
                  double share;
                  try {
                    share = Double.parseDouble(text);
                  } catch (NumberFormatException e) {
                    share = Double.NaN;
                  }
                  if (!(share >= 0 && share <= 1)) {
                    throw new IllegalArgumentException("must be a share from 0 to 1, e.g. 0.5");
                  }
                  return share;
                })
            .orElse(GuardLimits.DEFAULTS.maxShare());
    int shareFloor = v.integer(P + "guard.shareFloor", 0, 1_000_000);
    Duration guardInterval =
        v.duration(P + "guard.interval", Duration.ofSeconds(1), Duration.ofHours(1));
    int quotaMax = v.integer(P + "quota.max", 0, 1_000_000);
    Duration quotaRecheck =
        v.duration(P + "quota.recheck", Duration.ofMillis(100), Duration.ofHours(1));
    double maxDollarsPerHour = money(v, "quota.maxDollarsPerHour");
    return new ReviewAppConfig.Lifecycle(
        source,
        githubApi,
        githubToken,
        listingTimeout,
        defaultTtl,
        orphansInterval,
        !dryRun.equals("false"),
        new GuardLimits(maxDeletions, maxShare, shareFloor),
        guardInterval,
        quotaMax,
        quotaRecheck,
        maxDollarsPerHour);
  }

  /** A price as the defaults are written: plain decimal, no exponent. */
  private static String dollars(double value) {
    return java.math.BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
  }

  /** A number of dollars (or GB) >= 0; a problem naming the key otherwise. */
  private static double money(ConfigValues v, String key) {
    return v.parse(P + key, ReviewAppConfigSection::amount).orElse(0.0);
  }

  private static double amount(String text) {
    double value;
    try {
      value = Double.parseDouble(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("must be a number >= 0, e.g. 0.096");
    }
    if (!(value >= 0) || Double.isInfinite(value)) {
      throw new IllegalArgumentException("must be a number >= 0, e.g. 0.096");
    }
    return value;
  }

  /** {@code db.t3.micro=0.018,db.t3.small=0.036}. */
  private static Map<String, Double> rdsPrices(String text) {
    Map<String, Double> prices = new java.util.TreeMap<>();
    for (String entry : text.split(",")) {
      if (entry.isBlank()) {
        continue;
      }
      int eq = entry.indexOf('=');
      if (eq <= 0 || !entry.substring(0, eq).trim().matches("db\\.[a-z0-9]+\\.[a-z0-9]+")) {
        throw new IllegalArgumentException(
            "must be class=dollars pairs separated by commas, e.g. db.t3.micro=0.018, got '"
                + entry.trim()
                + "'");
      }
      prices.put(entry.substring(0, eq).trim(), amount(entry.substring(eq + 1)));
    }
    return prices;
  }

  private static Optional<String> optional(ConfigValues v, String key) {
    return Optional.of(v.text(P + key)).filter(s -> !s.isEmpty());
  }

  private static Optional<String> required(ConfigValues v, String key) {
    Optional<String> value = optional(v, key);
    if (value.isEmpty()) {
      v.problem(v.label(P + key) + ": required");
    }
    return value;
  }

  private static Optional<URI> httpUri(ConfigValues v, String key) {
    return v.parse(
        P + key,
        text -> {
          URI uri = URI.create(text);
          if (!("http".equals(uri.getScheme()) || "https".equals(uri.getScheme()))
              || uri.getHost() == null) {
            throw new IllegalArgumentException("must be http://host:port or https://host:port");
          }
          return uri;
        });
  }

  /** The non-blank entries of a comma-separated setting, trimmed. */
  private static List<String> commaList(String text) {
    return Arrays.stream(text.split(",")).map(String::strip).filter(t -> !t.isEmpty()).toList();
  }
}
