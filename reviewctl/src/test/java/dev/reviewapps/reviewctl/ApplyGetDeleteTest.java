package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

class ApplyGetDeleteTest {
  @RegisterExtension static final ConsulWorld world = new ConsulWorld();
  @TempDir Path dir;

  private Path file(String name, String text) throws IOException {
    return Files.writeString(dir.resolve(name), text);
  }

  @Test
  void applyCreatesThenLeavesAnEqualSpecAloneThenConfiguresAChange() throws IOException {
    Path v1 = file("v1.json", Specs.spec("deploy-apply", "aaaaaaa1"));
    Cli.Run created = world.cli().run("apply", "-f", v1.toString());
    assertThat(created.exitCode()).isZero();
    assertThat(created.out()).isEqualTo("reviewapp/deploy-apply created\n");
    long index = world.specIndex("deploy-apply");
    assertThat(
            ReviewAppJson.parse(world.kv.get(world.layout.spec("deploy-apply")).get().value())
                .toOptional()
                .orElseThrow()
                .spec()
                .commit())
        .isEqualTo("aaaaaaa1");

    // Same content, other formatting: no write, so the controller sees no new generation.
    Path reformatted = file("v1b.json", Specs.spec("deploy-apply", "aaaaaaa1").replace("\n", " "));
    Cli.Run unchanged = world.cli().run("apply", "-f", reformatted.toString());
    assertThat(unchanged.out()).isEqualTo("reviewapp/deploy-apply unchanged\n");
    assertThat(world.specIndex("deploy-apply")).isEqualTo(index);

    Cli.Run configured =
        world
            .cli()
            .run("apply", "-f", file("v2.json", Specs.spec("deploy-apply", "bbbbbbb2")).toString());
    assertThat(configured.exitCode()).isZero();
    assertThat(configured.out()).isEqualTo("reviewapp/deploy-apply configured\n");
    assertThat(world.specIndex("deploy-apply")).isGreaterThan(index);
  }

  @Test
  void invalidSpecListsEveryViolationWithPathAndRuleAndWritesNothing() throws IOException {
    String broken =
        Specs.spec("deploy-broken", "NOT-HEX")
            .replace("\"processes\"", "\"proceses\"")
            .replace("\"mode\": \"shared\"", "\"mode\": \"sharded\"");
    Cli.Run run = world.cli().run("apply", "-f", file("broken.json", broken).toString());

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.out()).isEmpty();
    assertThat(run.err())
        .startsWith("reviewctl: apply ")
        .contains("invalid spec, 4 problems; nothing written")
        .contains("$.spec.commit: ")
        .contains("[commit]")
        .contains("$.spec.database.mode: ")
        .contains("[oneOf]")
        .contains("$.spec.proceses: unknown field")
        .contains("[unknownField]")
        .contains("$.spec.processes: ")
        .contains("[required]");
    assertThat(world.kv.get(world.layout.spec("deploy-broken"))).isEmpty();
  }

  @Test
  void aStaleCheckAndSetIndexIsRefusedInOneLine() throws IOException {
    Path v1 = file("cas1.json", Specs.spec("deploy-cas", "ccccccc1"));
    world.cli().run("apply", "-f", v1.toString());
    long read = world.specIndex("deploy-cas");
    // Someone else writes after we read.
    world.kv.put(
        world.layout.spec("deploy-cas"),
        Specs.spec("deploy-cas", "ccccccc2").getBytes(StandardCharsets.UTF_8));

    Cli.Run run =
        world
            .cli()
            .run(
                "apply",
                "-f",
                file("cas3.json", Specs.spec("deploy-cas", "ccccccc3")).toString(),
                "--cas",
                Long.toString(read));

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err())
        .isEqualTo(
            "reviewctl: apply deploy-cas: check-and-set failed: the spec at"
                + " review-apps/specs/deploy-cas is no longer at index "
                + read
                + "; someone else wrote it, read it again and retry\n");
    assertThat(world.text(world.layout.spec("deploy-cas")).orElseThrow()).contains("ccccccc2");

    Cli.Run create =
        world
            .cli()
            .run(
                "apply",
                "-f",
                file("cas4.json", Specs.spec("deploy-cas", "ccccccc4")).toString(),
                "--cas",
                "0");
    assertThat(create.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(create.err()).contains("exists already");
  }

  @Test
  void applyReadsStandardInputAndFillsTemplateVariablesJsonEscaped() {
    String template =
        Specs.spec("${NAME}", "${COMMIT}")
            .replace("\"branch\": \"${NAME}\"", "\"branch\": \"${BRANCH}\"");
    Cli.Run run =
        world
            .cli()
            .input(template)
            .run(
                "apply",
                "-f",
                "-",
                "--var",
                "NAME=deploy-tpl",
                "--var",
                "COMMIT=ddddddd1",
                "--var",
                "BRANCH=deploy-\"quoted\"");
    // A quote is legal in a git branch; escaped, it stays inside the JSON string.
    assertThat(run.err()).isEmpty();
    assertThat(run.out()).isEqualTo("reviewapp/deploy-tpl created\n");
    assertThat(
            ReviewAppJson.parse(world.kv.get(world.layout.spec("deploy-tpl")).get().value())
                .toOptional()
                .orElseThrow()
                .spec()
                .branch())
        .isEqualTo("deploy-\"quoted\"");
  }

  @Test
  void getListsSpecsAndStatusesWithPhaseUrlAgeAndCommitIncludingDeletingApps() throws IOException {
    world.cli().input(Specs.spec("deploy-get-a", "eeeeeee1")).run("apply", "-f", "-");
    world.writeStatus(
        "deploy-get-a",
        Specs.ready(
                world.specIndex("deploy-get-a"),
                "http://deploy-get-a.review.test",
                Instant.now().minus(Duration.ofMinutes(7)))
            .withCost(Optional.of(new dev.reviewapps.model.status.Cost(0.01234, 3.5))));
    // Spec gone, status still there: being torn down.
    world.writeStatus(
        "deploy-get-gone",
        Specs.ready(
            1, "http://deploy-get-gone.review.test", Instant.now().minus(Duration.ofHours(5))));

    Cli.Run table = world.cli().run("get");
    assertThat(table.exitCode()).isZero();
    assertThat(table.out().lines().findFirst().orElseThrow())
        .matches("NAME +PHASE +URL +AGE +COMMIT +COST/H +LAST REQUEST");
    assertThat(table.out())
        .containsPattern(
            "deploy-get-a +Ready +http://deploy-get-a.review.test +7m +eeeeeee1 +\\$0\\.0123 +-")
        .containsPattern("deploy-get-gone +Deleting +http://deploy-get-gone.review.test +5h +-");

    Cli.Run one = world.cli().run("get", "deploy-get-a", "-o", "json");
    JsonNode json = new ObjectMapper().readTree(one.out());
    assertThat(json.get("phase").asText()).isEqualTo("Ready");
    assertThat(json.get("commit").asText()).isEqualTo("eeeeeee1");
    assertThat(json.get("specIndex").asLong()).isEqualTo(world.specIndex("deploy-get-a"));
    assertThat(json.at("/spec/spec/branch").asText()).isEqualTo("deploy-get-a");
    assertThat(json.at("/status/url").asText()).isEqualTo("http://deploy-get-a.review.test");

    assertThat(world.cli().run("get", "deploy-get-a", "-o", "url").out())
        .isEqualTo("http://deploy-get-a.review.test\n");
  }

  @Test
  void getShowsTheCommitThatRunsWhenTheControllerRejectedTheNewSpec() throws IOException {
    String name = "deploy-get-rejected";
    world.cli().input(Specs.spec(name, "abcabc01")).run("apply", "-f", "-");
    // Plays the controller: the first commit accepted and Ready...
    world.kv.put(
        world.layout.inventory(name),
        InventoryJson.write(Inventory.empty(name).withAppliedSpec(Specs.spec(name, "abcabc01"))));
    world.writeStatus(name, Specs.ready(world.specIndex(name), "http://r.test", Instant.now()));
    // ...then an update it refuses: the app stays Ready on the first commit.
    world.cli().input(Specs.spec(name, "abcabc02")).run("apply", "-f", "-");
    world.writeStatus(
        name,
        Specs.ready(world.specIndex(name), "http://r.test", Instant.now())
            .withCondition(
                ConditionType.Valid,
                ConditionStatus.False,
                "InvalidSpec",
                "update rejected, still running commit abcabc01",
                Instant.now()));

    assertThat(world.cli().run("get").out())
        .containsPattern(name + " +Ready +http://r.test +\\S+ +abcabc01 ");
    JsonNode json = new ObjectMapper().readTree(world.cli().run("get", name, "-o", "json").out());
    assertThat(json.get("commit").asText()).isEqualTo("abcabc01");

    // Without the inventory (CI's token may not read it) what runs is unknown: not the rejected
    // one.
    world.kv.delete(world.layout.inventory(name));
    assertThat(world.cli().run("get").out())
        .containsPattern(name + " +Ready +http://r.test +\\S+ +- ");
  }

  @Test
  void anUnknownAppIsOneLineAndExitOneForGetDescribeDeleteAndWait() {
    for (String command : new String[] {"get", "describe", "delete"}) {
      Cli.Run run = world.cli().run(command, "deploy-nowhere");
      assertThat(run.exitCode()).as(command).isEqualTo(ExitCode.ERROR);
      assertThat(run.err())
          .as(command)
          .isEqualTo(
              "reviewctl: " + command + " deploy-nowhere: no review app named deploy-nowhere\n");
    }
    Cli.Run wait = world.cli().run("wait", "deploy-nowhere", "--timeout", "5s");
    assertThat(wait.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(wait.err())
        .isEqualTo("reviewctl: wait deploy-nowhere: no spec named deploy-nowhere in Consul\n");
    assertThat(world.cli().run("delete", "deploy-nowhere", "--ignore-not-found").exitCode())
        .isZero();
  }

  @Test
  void deleteRemovesTheSpecOnly() {
    world.cli().input(Specs.spec("deploy-del", "fffffff1")).run("apply", "-f", "-");
    world.writeStatus(
        "deploy-del", Specs.ready(world.specIndex("deploy-del"), "http://x.test", Instant.now()));

    Cli.Run run = world.cli().run("delete", "deploy-del");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("reviewapp/deploy-del deleted\n");
    assertThat(world.kv.get(world.layout.spec("deploy-del"))).isEmpty();
    // Status and inventory are the controller's to remove, after teardown.
    assertThat(world.kv.get(world.layout.status("deploy-del"))).isPresent();
    assertThat(world.cli().run("get", "deploy-del").out()).contains("Deleting");
  }

  @Test
  void anUnreachableConsulIsOneLineNamingTheAddress() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0)) {
      closedPort = s.getLocalPort();
    }
    Cli.Run run = world.cli().run("get", "--consul", "127.0.0.1:" + closedPort);

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err()).hasLineCount(1);
    assertThat(run.err())
        .startsWith("reviewctl: list review-apps/specs/: Consul unreachable")
        .contains("127.0.0.1:" + closedPort);
  }

  @Test
  void aTokenConsulRefusesIsOneLineWithoutTheToken() throws IOException {
    String rules =
        """
        {"default_policy": "deny",
         "tokens": [{"SecretID": "ci-secret-123",
                     "Rules": {"key_prefix": {"review-apps/specs/": {"policy": "write"}}}}]}
        """;
    try (ConsulWorld acl =
        ConsulWorld.start(
            ConsulConfig.defaults().withAclRules(AclRules.parse(rules)), "ci-secret-123")) {
      Cli.Run denied =
          acl.cli()
              .with("CONSUL_HTTP_TOKEN", "wrong-secret-456")
              .input(Specs.spec("deploy-acl", "1234567"))
              .run("apply", "-f", "-");
      assertThat(denied.exitCode()).isEqualTo(ExitCode.ERROR);
      assertThat(denied.err()).hasLineCount(1).contains("403").doesNotContain("wrong-secret-456");

      // Not even the stack trace of --debug carries it.
      Cli.Run debug =
          acl.cli()
              .input(Specs.spec("deploy-acl", "1234567"))
              .run("apply", "-f", "-", "--token", "wrong-secret-456", "--debug");
      assertThat(debug.err())
          .contains("ConsulUnavailable")
          .contains("\tat dev.reviewapps.")
          .doesNotContain("wrong-secret-456");

      Cli.Run allowed =
          acl.cli()
              .input(Specs.spec("deploy-acl", "1234567"))
              .run("apply", "-f", "-", "--token", "ci-secret-123");
      assertThat(allowed.err()).isEmpty();
      assertThat(allowed.out()).isEqualTo("reviewapp/deploy-acl created\n");

      // From a file, as CONSUL_HTTP_TOKEN_FILE: the token is in no argument or variable.
      Path tokenFile = Files.writeString(dir.resolve("token"), "ci-secret-123\n");
      Cli.Run fromFile =
          acl.cli()
              .with("CONSUL_HTTP_TOKEN_FILE", tokenFile.toString())
              .input(Specs.spec("deploy-acl-file", "1234567"))
              .run("apply", "-f", "-");
      assertThat(fromFile.err()).isEmpty();
      assertThat(fromFile.out()).isEqualTo("reviewapp/deploy-acl-file created\n");
      Cli.Run missing =
          acl.cli().with("CONSUL_HTTP_TOKEN_FILE", dir.resolve("nope").toString()).run("get");
      assertThat(missing.exitCode()).isEqualTo(ExitCode.ERROR);
      assertThat(missing.err()).hasLineCount(1).contains("CONSUL_HTTP_TOKEN_FILE");
    }
  }

  /**
   * CI's shipped policy (deploy/acl/ci.json) is enough for apply, get and wait, and denies the
   * rest: no secrets read, no route written.
   */
  @Test
  void theShippedCiPolicyIsEnoughForCiAndDeniesTheRest() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    String rules = Files.readString(repo.resolve("deploy/acl/ci.json"));
    String acl =
        "{\"default_policy\": \"deny\", \"tokens\": ["
            + "{\"SecretID\": \"ci-policy\", \"Rules\": "
            + rules
            + "}, {\"SecretID\": \"root\", \"Management\": true}]}";
    try (ConsulWorld acl1 =
        ConsulWorld.start(ConsulConfig.defaults().withAclRules(AclRules.parse(acl)), "root")) {
      Cli ci = acl1.cli().with("CONSUL_HTTP_TOKEN", "ci-policy");
      Cli.Run applied = ci.input(Specs.spec("deploy-ci-policy", "1234567")).run("apply", "-f", "-");
      assertThat(applied.err()).isEmpty();
      assertThat(applied.out()).isEqualTo("reviewapp/deploy-ci-policy created\n");
      acl1.writeStatus(
          "deploy-ci-policy",
          ReviewAppStatus.pending(acl1.specIndex("deploy-ci-policy")).withPhase(Phase.Ready));
      assertThat(
              ci.run("wait", "deploy-ci-policy", "--for", "Ready", "--timeout", "10s").exitCode())
          .isZero();
      assertThat(ci.run("get").out()).contains("deploy-ci-policy");
      // CI may put an app to sleep and wake it, as a person with reviewctl would.
      assertThat(ci.run("sleep", "deploy-ci-policy").exitCode()).isZero();
      assertThat(ci.run("wake", "deploy-ci-policy").exitCode()).isZero();

      acl1.kv.put("review-apps/secrets/deploy-ci-policy", "{\"password\":\"x\"}".getBytes());
      for (String[] call :
          new String[][] {
            {"GET", "review-apps/secrets/deploy-ci-policy"},
            {"GET", "review-apps/inventory/deploy-ci-policy"},
            {"PUT", "review-apps/routes/deploy-ci-policy.review.test"},
            {"PUT", "review-apps/status/deploy-ci-policy"},
            {"PUT", "review-apps/guard/confirm"},
            {"PUT", "review-apps/activity/deploy-ci-policy"}
          }) {
        java.net.http.HttpResponse<String> answer =
            java.net.http.HttpClient.newHttpClient()
                .send(
                    java.net.http.HttpRequest.newBuilder(
                            java.net.URI.create(acl1.consul.baseUrl() + "/v1/kv/" + call[1]))
                        .header("X-Consul-Token", "ci-policy")
                        .method(
                            call[0],
                            call[0].equals("PUT")
                                ? java.net.http.HttpRequest.BodyPublishers.ofString("x")
                                : java.net.http.HttpRequest.BodyPublishers.noBody())
                        .build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(answer.statusCode()).as(call[0] + " " + call[1]).isEqualTo(403);
      }
    }
  }

  @Test
  void nameFollowsTheControllersBranchRule() {
    assertThat(world.cli().run("name", "deploy-new-checkout").out())
        .isEqualTo("deploy-new-checkout\n");
    assertThat(world.cli().run("name", "deploy-New_Checkout/v2").out())
        .isEqualTo("deploy-new-checkout-v2-9310d0a8\n");
  }

  @Test
  void aBadCommandLineIsOneLineAndExitSixtyFour() {
    Cli.Run run = world.cli().run("wait", "x", "--for", "Sleeping");
    assertThat(run.exitCode()).isEqualTo(ExitCode.USAGE);
    assertThat(run.err()).hasLineCount(1).startsWith("reviewctl: ");
  }
}
