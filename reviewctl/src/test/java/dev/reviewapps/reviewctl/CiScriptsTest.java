package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.devstack.aws.AwsConfig;
import dev.reviewapps.devstack.aws.AwsStandIn;
import dev.reviewapps.model.ReviewApp;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.naming.AppName;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * examples/ci run with bash against the stand-ins, as CircleCI and GitHub Actions would run them,
 * with a test thread in the controller's place. reviewctl runs through a launcher on this test's
 * classpath: the shaded jar is only built in the package phase, after the tests.
 */
class CiScriptsTest {
  private static final Path REPO = Path.of(System.getProperty("user.dir")).getParent();
  private static final Path CI = REPO.resolve("examples/ci");
  private static final String COMMIT = "3f2a9c1e0b7d4a5c6e8f9a0b1c2d3e4f5a6b7c8d";
  private static final String BUCKET = "shop-assets";

  @RegisterExtension static final ConsulWorld world = new ConsulWorld();
  private static AwsStandIn aws;
  private static S3Client s3;
  private static PlayingController controller;
  @TempDir static Path tools;
  private static Path launcher;
  @TempDir Path checkout;

  @BeforeAll
  static void start() throws IOException {
    aws = AwsStandIn.start(AwsConfig.forTests());
    s3 = TestS3.client(aws);
    s3.createBucket(r -> r.bucket(BUCKET));
    controller = new PlayingController(world.kv, world.layout);
    String classpath =
        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
    launcher = tools.resolve("reviewctl");
    // C1 only: these JVMs live for a second, and two cores are shared with the stand-ins.
    Files.writeString(
        launcher,
        "#!/bin/sh\nexec '"
            + Path.of(System.getProperty("java.home"), "bin", "java")
            + "' -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -cp '"
            + classpath
            + "' dev.reviewapps.reviewctl.Reviewctl \"$@\"\n");
    Files.setPosixFilePermissions(launcher, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  @AfterAll
  static void stop() throws Exception {
    controller.close();
    s3.close();
    aws.close();
  }

  record Result(int exitCode, String out, String err) {}

  /** Runs an examples/ci script with bash in {@code checkout}, with CI's variables. */
  private Result bash(Map<String, String> env, String script, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("bash", CI.resolve(script).toString()));
    command.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(command).directory(checkout.toFile());
    Map<String, String> environment = pb.environment();
    // Nothing of the build machine's CI or AWS settings may leak in.
    environment
        .keySet()
        .removeIf(
            k ->
                k.startsWith("AWS_")
                    || k.startsWith("CONSUL_")
                    || k.startsWith("CIRCLE")
                    || k.startsWith("GITHUB")
                    || k.startsWith("REVIEW"));
    environment.put("REVIEWCTL", launcher.toString());
    environment.put("CONSUL_HTTP_ADDR", world.consul.baseUrl());
    environment.put("AWS_ENDPOINT_URL", aws.endpoint().toString());
    environment.put("REVIEW_APPS_ASSETS_BUCKET", BUCKET);
    environment.putAll(env);
    Path out = Files.createTempFile(tools, "out", ".txt");
    Path err = Files.createTempFile(tools, "err", ".txt");
    Process p = pb.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    // Each reviewctl call is a JVM start: generous for a loaded two-core machine.
    assertThat(p.waitFor(300, TimeUnit.SECONDS)).as("script finished").isTrue();
    return new Result(p.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static Map<String, String> circleCi(String branch) {
    return Map.of(
        "CIRCLE_BRANCH", branch,
        "CIRCLE_SHA1", COMMIT,
        "REVIEW_APP_IMAGE", "registry.example.com/shop/web:" + COMMIT);
  }

  @Test
  void deployPushesAssetsWritesTheSpecWaitsForReadyAndPrintsTheUrl() throws Exception {
    Files.createDirectories(checkout.resolve("public/css"));
    Files.writeString(checkout.resolve("public/css/app.css"), "body{}");
    Files.writeString(checkout.resolve("public/robots.txt"), "User-agent: *");
    Path githubOutput = checkout.resolve("github-output");
    Map<String, String> env = new HashMap<>(circleCi("deploy-New_Checkout"));
    env.put("GITHUB_OUTPUT", githubOutput.toString());
    String name = AppName.fromBranch("deploy-New_Checkout").value();

    Result deploy = bash(env, "deploy.sh");

    assertThat(deploy.exitCode()).as(deploy.err()).isZero();
    String url = "http://" + name + ".review.test";
    assertThat(deploy.out())
        .contains("deploy-New_Checkout -> review app " + name)
        .contains("uploaded 2 files")
        .contains("reviewapp/" + name + " created")
        .endsWith("review app " + name + " is ready: " + url + "\n");
    assertThat(Files.readString(githubOutput)).isEqualTo("name=" + name + "\nurl=" + url + "\n");
    assertThat(s3.listObjectsV2(r -> r.bucket(BUCKET).prefix("assets/" + name + "/")).contents())
        .extracting(S3Object::key)
        .containsExactlyInAnyOrder(
            "assets/" + name + "/css/app.css", "assets/" + name + "/robots.txt");
    ReviewApp spec =
        ReviewAppJson.parse(world.kv.get(world.layout.spec(name)).orElseThrow().value())
            .toOptional()
            .orElseThrow();
    assertThat(spec.name()).isEqualTo(name);
    assertThat(spec.spec().branch()).isEqualTo("deploy-New_Checkout");
    assertThat(spec.spec().commit()).isEqualTo(COMMIT);
    assertThat(spec.spec().image()).isEqualTo("registry.example.com/shop/web:" + COMMIT);

    // The branch is deleted: GitHub's delete event passes its name.
    Result cleanup =
        bash(Map.of("REVIEW_APP_CLEANUP_WAIT", "1m"), "cleanup.sh", "deploy-New_Checkout");

    assertThat(cleanup.exitCode()).as(cleanup.err()).isZero();
    assertThat(cleanup.out())
        .isEqualTo("reviewapp/" + name + " deleted\nreviewapp/" + name + " Deleted\n");
    assertThat(world.kv.get(world.layout.spec(name))).isEmpty();
    assertThat(world.kv.get(world.layout.status(name))).isEmpty();
    // A second run (a retried job) is not an error.
    assertThat(bash(Map.of(), "cleanup.sh", "deploy-New_Checkout").exitCode()).isZero();
  }

  @Test
  void aBranchWithoutTheDeployPrefixGetsNoApp() throws Exception {
    Result deploy = bash(circleCi("feature-x"), "deploy.sh");
    Result cleanup = bash(Map.of(), "cleanup.sh", "feature-x");

    assertThat(deploy.exitCode()).isZero();
    assertThat(deploy.out())
        .isEqualTo("deploy.sh: feature-x is not a deploy-* branch: nothing to do\n");
    assertThat(cleanup.exitCode()).isZero();
    assertThat(world.kv.keys(world.layout.specs())).noneMatch(k -> k.contains("feature-x"));
  }

  @Test
  void anAppThatIsNotReadyInTimeFailsTheBuildWithExitTwoAndADescription() throws Exception {
    Map<String, String> env = new HashMap<>(circleCi("deploy-slow-search"));
    env.put("REVIEW_APP_WAIT_TIMEOUT", "2s");

    Result deploy = bash(env, "deploy.sh");

    assertThat(deploy.exitCode()).isEqualTo(ExitCode.TIMEOUT);
    assertThat(deploy.err())
        .contains("reviewctl: wait deploy-slow-search: timed out after 2s waiting for Ready")
        .contains("Name:        deploy-slow-search");
    assertThat(deploy.out()).doesNotContain("is ready");
  }

  @Test
  void anInvalidTemplateFailsBeforeAnythingIsWritten() throws Exception {
    Path template = checkout.resolve("bad.json");
    Files.writeString(
        template,
        Files.readString(CI.resolve("reviewapp.template.json"))
            .replace("\"ttl\": \"72h\"", "\"ttl\": \"forever\""));
    Map<String, String> env = new HashMap<>(circleCi("deploy-bad-ttl"));
    env.put("REVIEW_APP_SPEC_TEMPLATE", template.toString());

    Result deploy = bash(env, "deploy.sh");

    assertThat(deploy.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(deploy.err()).contains("$.spec.ttl: ").contains("[ttl]");
    assertThat(world.kv.get(world.layout.spec("deploy-bad-ttl"))).isEmpty();
  }

  @Test
  void installWritesAWrapperAroundTheDownloadedJar() throws Exception {
    Path published = Files.writeString(tools.resolve("published.jar"), "not really a jar");
    Path dir = checkout.resolve("tools");

    Result install =
        bash(
            Map.of(
                "REVIEWCTL_JAR_URL",
                published.toUri().toString(),
                "REVIEWCTL_JAR_SHA256",
                sha256(published).toUpperCase(java.util.Locale.ROOT)),
            "install-reviewctl.sh",
            dir.toString());

    assertThat(install.exitCode()).as(install.err()).isZero();
    assertThat(install.out()).isEqualTo(dir.resolve("reviewctl") + "\n");
    assertThat(Files.readString(dir.resolve("reviewctl.jar"))).isEqualTo("not really a jar");
    assertThat(Files.readString(dir.resolve("reviewctl")))
        .contains("exec java -jar \"" + dir.resolve("reviewctl.jar") + "\" \"$@\"");
    assertThat(Files.isExecutable(dir.resolve("reviewctl"))).isTrue();
  }

  @Test
  void installRefusesAJarThatDoesNotMatchItsChecksumOrHasNone() throws Exception {
    Path published = Files.writeString(tools.resolve("tampered.jar"), "a tampered jar");
    Path dir = checkout.resolve("tools");
    String url = published.toUri().toString();

    Result wrong =
        bash(
            Map.of("REVIEWCTL_JAR_URL", url, "REVIEWCTL_JAR_SHA256", "0".repeat(64)),
            "install-reviewctl.sh",
            dir.toString());
    Result none = bash(Map.of("REVIEWCTL_JAR_URL", url), "install-reviewctl.sh", dir.toString());

    assertThat(wrong.exitCode()).isNotZero();
    assertThat(wrong.err()).contains("checksum mismatch").contains(sha256(published));
    assertThat(none.exitCode()).isNotZero();
    assertThat(none.err()).contains("REVIEWCTL_JAR_SHA256");
    try (var left = Files.list(dir)) {
      assertThat(left).as("nothing installed, no download left").isEmpty();
    }
  }

  private static String sha256(Path file) throws Exception {
    return java.util.HexFormat.of()
        .formatHex(
            java.security.MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @Test
  void theWrapperSaysToBuildWhenTheJarIsMissing() throws Exception {
    ProcessBuilder wrapper =
        new ProcessBuilder("bash", REPO.resolve("bin/reviewctl").toString(), "get")
            .redirectErrorStream(true);
    wrapper.environment().put("REVIEWCTL_JAR", checkout.resolve("missing.jar").toString());
    Process run = wrapper.start();
    String out = new String(run.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

    assertThat(run.waitFor()).isEqualTo(1);
    assertThat(out)
        .isEqualTo(
            "reviewctl: "
                + checkout.resolve("missing.jar")
                + " is missing: run 'make build' in "
                + REPO
                + " first\n");
  }

  @Test
  void theCiConfigsParseAndFilterDeployBranches() throws Exception {
    JsonNode circle = yaml(CI.resolve("circleci/config.yml"));
    for (JsonNode job : circle.at("/workflows/review_app/jobs")) {
      JsonNode only = job.elements().next().at("/filters/branches/only");
      assertThat(only.get(0).asText()).isEqualTo("/deploy-.*/");
    }
    assertThat(circle.at("/workflows/review_app/jobs")).hasSize(2);

    JsonNode github = yaml(CI.resolve("github/review-app.yml"));
    // PyYAML reads YAML 1.1, where a bare `on` key is the boolean true; GitHub reads it as "on".
    JsonNode on = github.has("on") ? github.get("on") : github.get("true");
    assertThat(on.at("/push/branches/0").asText()).isEqualTo("deploy-*");
    assertThat(on.has("delete")).isTrue();
    assertThat(github.at("/jobs/cleanup/if").asText())
        .contains("github.event_name == 'delete'")
        .contains("github.event.ref_type == 'branch'");
    assertThat(github.at("/jobs/cleanup/steps").toString()).contains("cleanup.sh");
    assertThat(github.at("/jobs/deploy/steps").toString()).contains("deploy.sh");
  }

  @Test
  void noWorkflowPutsAnEventValueInsideAShellLine() throws Exception {
    List<Path> workflows;
    try (var files = Files.walk(CI)) {
      workflows = files.filter(f -> f.toString().matches(".*\\.ya?ml$")).toList();
    }
    assertThat(workflows).isNotEmpty();
    // Values an attacker chooses: branch and tag names, titles, bodies, commit messages, authors.
    Pattern untrusted =
        Pattern.compile(
            "\\$\\{\\{[^}]*\\b(github\\.event\\b|github\\.head_ref\\b|github\\.ref_name\\b"
                + "|github\\.ref\\b)[^}]*}}");
    List<String> found = new ArrayList<>();
    for (Path file : workflows) {
      collectRunLines(yaml(file), file.getFileName().toString(), untrusted, found);
    }
    assertThat(found).as("event values inside run: (pass them through env: instead)").isEmpty();
  }

  private static void collectRunLines(
      JsonNode node, String where, Pattern untrusted, List<String> found) {
    if (node.isObject()) {
      node.fields()
          .forEachRemaining(
              e -> {
                if (e.getKey().equals("run")
                    && e.getValue().isTextual()
                    && untrusted.matcher(e.getValue().asText()).find()) {
                  found.add(where + ": " + e.getValue().asText());
                }
                collectRunLines(e.getValue(), where, untrusted, found);
              });
    } else if (node.isArray()) {
      node.forEach(child -> collectRunLines(child, where, untrusted, found));
    }
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "deploy-$(touch PWNED)",
        "deploy-`touch PWNED`",
        "deploy-a;touch PWNED",
        "deploy-\"x\";touch PWNED",
        "deploy-$IFS$(touch${IFS}PWNED)",
        "deploy-x' ; touch PWNED ; '"
      })
  void aBranchNameIsDataNeverShellCode(String branch) throws Exception {
    Result cleanup = bash(Map.of("REVIEW_APP_BRANCH", branch), "cleanup.sh");
    Result deploy =
        bash(
            Map.of(
                "REVIEW_APP_BRANCH",
                branch,
                "REVIEW_APP_COMMIT",
                COMMIT,
                "REVIEW_APP_IMAGE",
                "registry.example.com/shop/web:1",
                "REVIEW_APP_WAIT_TIMEOUT",
                "1s"),
            "deploy.sh");
    Result asArgument = bash(Map.of(), "cleanup.sh", branch);
    assertThat(checkout.resolve("PWNED"))
        .as(cleanup + "\n" + deploy + "\n" + asArgument)
        .doesNotExist();
    assertThat(Path.of("PWNED")).doesNotExist();
  }

  /** YAML through python3-yaml, handed over as JSON. */
  private static JsonNode yaml(Path file) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(
                "python3",
                "-c",
                "import json, sys, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))",
                file.toString())
            .redirectErrorStream(true)
            .start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return new ObjectMapper().readTree(out);
  }
}
