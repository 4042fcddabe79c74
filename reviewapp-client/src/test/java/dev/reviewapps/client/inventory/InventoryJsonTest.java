package dev.reviewapps.client.inventory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class InventoryJsonTest {

  private final Inventory full =
      Inventory.empty("deploy-x")
          .with(new Resource.Credentials("review-apps/secrets/deploy-x"))
          .with(new Resource.SharedDatabase("ra_deploy_x", "ra_deploy_x"))
          .with(new Resource.NomadJob("deploy-x"))
          .with(new Resource.NomadJob("deploy-x.seed.0123456789"))
          .with(new Resource.Route("deploy-x.review.test"))
          .withDatabase("10.0.0.5:5432", "ra_deploy_x")
          .withMigratedRelease("0a1b2c3d4e")
          .withSeeded()
          .withAllocations(List.of(new Footprint(100, 64), new Footprint(500, 1024)))
          .withAppliedSpec("{\"apiVersion\":\"reviewapps/v1\"}");

  @Test
  void anInventoryReadsBackAsWritten() {
    assertThat(InventoryJson.read(InventoryJson.write(full))).isEqualTo(full);
    Inventory empty = Inventory.empty("deploy-y");
    assertThat(InventoryJson.read(InventoryJson.write(empty))).isEqualTo(empty);
  }

  @Test
  void aTeardownUnderWayReadsBackWithItsPredestroyProgress() {
    Instant since = Instant.parse("2026-11-26T08:00:00Z");
    Inventory running =
        full.withTeardown(TeardownProgress.begun(since).predestroyAttempt(since.plusSeconds(1)));
    assertThat(InventoryJson.read(InventoryJson.write(running))).isEqualTo(running);
    Inventory ended =
        running.withTeardown(
            running
                .teardown()
                .orElseThrow()
                .predestroyEnded(TeardownProgress.PredestroyOutcome.GAVE_UP));
    assertThat(InventoryJson.read(InventoryJson.write(ended))).isEqualTo(ended);
    assertThat(new String(InventoryJson.write(ended), StandardCharsets.UTF_8))
        .contains("\"outcome\":\"gave-up\"");
    assertThat(InventoryJson.read(InventoryJson.write(full)).teardown()).isEmpty();
  }

  @Test
  void recordingTheSameResourceTwiceKeepsOneEntry() {
    assertThat(full.with(new Resource.NomadJob("deploy-x")).resources()).hasSize(5);
  }

  @Test
  void aResourceOfAKindADeploymentAddedIsKeptByItsKindName() {
    Inventory withRecord = full.with(new Resource.Custom("dns-record", "deploy-x.example.org"));

    Inventory read = InventoryJson.read(InventoryJson.write(withRecord));

    assertThat(read.resources(Resource.Custom.class))
        .containsExactly(new Resource.Custom("dns-record", "deploy-x.example.org"));
    assertThat(read).isEqualTo(withRecord);
  }

  @Test
  void aResourceKindThatIsNoKindNameIsAnErrorNotSkipped() {
    for (String kind : new String[] {"", "DNS", "dns record", "../x", "a".repeat(41), "<script>"}) {
      String json =
          "{\"version\":1,\"app\":\"deploy-x\",\"resources\":[{\"kind\":"
              + new com.fasterxml.jackson.databind.node.TextNode(kind)
              + ",\"id\":\"x\"}]}";
      assertThatThrownBy(() -> InventoryJson.read(json.getBytes(StandardCharsets.UTF_8)))
          .as("kind %s", kind)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("no kind name");
    }
    assertThatThrownBy(() -> new Resource.Custom("Bad Kind", "x"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
