package dev.reviewapps.controller.reviewapp.nomad;

import static org.assertj.core.api.Assertions.assertThat;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.model.naming.ResourceNames;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Which app an allocation names. Job IDs come from Nomad, where anyone with submit rights in the
 * namespace may have chosen them: an ID that is no job of an app names nothing, and never an app
 * other than the one it is the job of. (No request is sent: naming reads only the item.)
 */
class AllocationChangesTest {
  private static final String ALLOC = "5f2b8a0e-3c1d-4e7a-9b6f-0a1b2c3d4e5f";
  private static final NomadApiClient UNUSED =
      new NomadApiClient(
          new NomadApiConfiguration.Builder().setAddress("http://127.0.0.1:1").build());
  private static final AllocationChanges CHANGES = new AllocationChanges(UNUSED);

  @AfterAll
  static void close() throws Exception {
    UNUSED.close();
  }

  private static Optional<String> owner(String jobId) {
    return CHANGES.nameOf(AllocationChanges.item(jobId, ALLOC));
  }

  @Test
  void everyJobOfAnAppNamesThatApp() {
    ResourceNames names = ResourceNames.of("deploy-shop");
    assertThat(owner("deploy-shop")).contains("deploy-shop");
    assertThat(owner(names.migrateJob("r3"))).contains("deploy-shop");
    assertThat(owner(names.seedJob("r3"))).contains("deploy-shop");
    assertThat(owner(names.predestroyJob())).contains("deploy-shop");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        ".migrate.r1",
        "Deploy-Shop",
        "deploy shop",
        "../deploy-shop",
        "deploy-shop/../deploy-other",
        "deploy-shop\u0000",
        "déploy-shop",
        "-deploy-shop",
        "deploy_shop.migrate.r1",
        "a-name-far-too-long-to-be-the-name-of-any-review-app-whatever-it-says"
      })
  void aJobIdThatIsNoAppsJobNamesNothing(String jobId) {
    assertThat(owner(jobId)).isEmpty();
  }

  @Test
  void anItemWithoutItsAllocationPartNamesNothing() {
    assertThat(CHANGES.nameOf("deploy-shop")).isEmpty();
  }
}
