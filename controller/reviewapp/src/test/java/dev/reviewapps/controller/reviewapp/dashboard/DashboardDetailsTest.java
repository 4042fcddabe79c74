package dev.reviewapps.controller.reviewapp.dashboard;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.client.inventory.Inventory;
import dev.reviewapps.client.inventory.InventoryJson;
import dev.reviewapps.client.view.AppView;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The app page's details when the controller refused the spec in Consul (an invalid update). */
class DashboardDetailsTest {
  private static final String NAME = "deploy-x";

  private static String spec(String commit) {
    return """
        {"apiVersion": "reviewapps/v1", "kind": "ReviewApp", "metadata": {"name": "deploy-x"},
         "spec": {"branch": "deploy-x", "commit": "%s", "image": "registry.example.com/web:1",
                  "database": {"mode": "shared"},
                  "processes": {"web": {"command": "bin/web", "healthPath": "/health"}}}}
        """
        .formatted(commit);
  }

  private static KvEntry entry(String key, byte[] value, long index) {
    return new KvEntry(key, value, index, Optional.empty());
  }

  @Test
  void aRejectedSpecIsShownAsWrittenAndSaysWhichCommitRuns() {
    ReviewAppStatus status =
        ReviewAppStatus.pending(12)
            .withPhase(Phase.Ready)
            .withCondition(
                ConditionType.Valid,
                ConditionStatus.False,
                "InvalidSpec",
                "update rejected, still running commit aaaa0001",
                Instant.now());
    AppView view =
        new AppView(
            NAME,
            Optional.of(
                entry("specs/" + NAME, spec("bbbb0002").getBytes(StandardCharsets.UTF_8), 12)),
            Optional.of(entry("status/" + NAME, ReviewAppJson.writeStatus(status), 13)),
            Optional.of(
                entry(
                    "inventory/" + NAME,
                    InventoryJson.write(Inventory.empty(NAME).withAppliedSpec(spec("aaaa0001"))),
                    11)),
            Optional.empty());

    assertThat(DashboardModel.details(view, Optional.of(status)))
        .contains(
            new AppPage.Detail(
                "Spec",
                "rejected (see the Valid condition): still running commit aaaa0001; below, the spec"
                    + " as written"),
            new AppPage.Detail("Commit", "bbbb0002"));
    assertThat(view.commit()).contains("aaaa0001");
  }
}
