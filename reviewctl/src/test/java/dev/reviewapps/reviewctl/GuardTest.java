package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class GuardTest {
  private ConsulWorld world;

  @BeforeEach
  void start() throws IOException {
    world = ConsulWorld.start();
  }

  @AfterEach
  void stop() throws IOException {
    world.close();
  }

  private void hold(String... apps) {
    String json =
        "{\"reason\":\"5 of 6 apps would be deleted at once\",\"apps\":[\""
            + String.join("\",\"", apps)
            + "\"],\"since\":\"2026-11-26T08:00:00Z\"}";
    world.kv.put(world.keys.guardHeld(), json.getBytes(StandardCharsets.UTF_8));
  }

  private JsonNode confirmation() throws IOException {
    return new ObjectMapper().readTree(world.text(world.keys.guardConfirm()).orElseThrow());
  }

  private static List<String> apps(JsonNode confirm) {
    List<String> apps = new ArrayList<>();
    confirm.get("apps").forEach(a -> apps.add(a.asText()));
    return apps;
  }

  @Test
  void statusSaysWhatIsHeld() {
    assertThat(world.cli().run("guard", "status").out()).isEqualTo("nothing held\n");
    hold("deploy-a", "deploy-b");

    assertThat(world.cli().run("guard", "status").out())
        .isEqualTo(
            "held since 2026-11-26T08:00:00Z: 5 of 6 apps would be deleted at once\n"
                + "  deploy-a\n  deploy-b\n");
  }

  @Test
  void confirmWithYesWritesTheContractJson() throws IOException {
    hold("deploy-b", "deploy-a");
    Instant before = Instant.now();

    Cli.Run run = world.cli().run("guard", "confirm", "--yes");

    assertThat(run.exitCode()).isZero();
    assertThat(run.out()).isEqualTo("confirmed for deletion: deploy-a, deploy-b\n");
    JsonNode confirm = confirmation();
    assertThat(apps(confirm)).containsExactly("deploy-a", "deploy-b");
    assertThat(Instant.parse(confirm.get("at").asText()))
        .isBetween(before.minus(Duration.ofSeconds(1)), Instant.now());
    assertThat(confirm.size()).isEqualTo(2);
  }

  @Test
  void confirmAsksAndWritesNothingUnlessTheAnswerIsYes() throws IOException {
    hold("deploy-a", "deploy-b");

    Cli.Run no = world.cli().input("n\n").run("guard", "confirm");
    assertThat(no.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(no.err())
        .contains("Delete these 2 apps? [y/N]")
        .endsWith("reviewctl: guard confirm: not confirmed; nothing written\n");
    assertThat(world.kv.get(world.keys.guardConfirm())).isEmpty();

    Cli.Run yes = world.cli().input("y\n").run("guard", "confirm", "deploy-b");
    assertThat(yes.exitCode()).isZero();
    assertThat(apps(confirmation())).containsExactly("deploy-b");

    // A later confirmation keeps the earlier one the controller has not acted on yet.
    world.cli().run("guard", "confirm", "deploy-a", "--yes");
    assertThat(apps(confirmation())).containsExactly("deploy-a", "deploy-b");
  }

  @Test
  void confirmRefusesWhenNothingOrSomethingElseIsHeld() {
    Cli.Run nothing = world.cli().run("guard", "confirm", "--yes");
    assertThat(nothing.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(nothing.err())
        .isEqualTo("reviewctl: guard confirm: nothing is held (review-apps/guard/held)\n");

    hold("deploy-a");
    Cli.Run other = world.cli().run("guard", "confirm", "deploy-z", "--yes");
    assertThat(other.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(other.err())
        .isEqualTo("reviewctl: guard confirm: deploy-z is not held by the guard\n");
    assertThat(world.kv.get(world.keys.guardConfirm())).isEmpty();
  }

  @Test
  void theKeysFollowThePrefix() {
    world.kv.put(
        "other/guard/held",
        "{\"reason\":\"r\",\"apps\":[\"x\"],\"since\":\"s\"}".getBytes(StandardCharsets.UTF_8));

    Cli.Run run = world.cli().with("REVIEW_APPS_PREFIX", "other").run("guard", "confirm", "--yes");

    assertThat(run.exitCode()).isZero();
    assertThat(world.text("other/guard/confirm")).get().asString().contains("\"apps\":[\"x\"]");
  }
}
