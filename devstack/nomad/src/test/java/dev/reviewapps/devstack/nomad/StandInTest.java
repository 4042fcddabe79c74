package dev.reviewapps.devstack.nomad;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stand-in per test, with its allocation directories in the test's temporary directory (so tests
 * can read what tasks wrote) and a nomad-sdk client for it.
 */
abstract class StandInTest {
  @TempDir Path dataDir;
  NomadStandIn nomad;
  NomadApiClient client;

  /** The settings of the stand-in; tests may change them. */
  NomadConfig.Builder config() {
    return NomadConfig.defaults().toBuilder();
  }

  @BeforeEach
  void startStandIn() throws Exception {
    nomad = NomadStandIn.start(config().dataDir(dataDir).build());
    client = new NomadApiClient(nomad.baseUrl());
  }

  @AfterEach
  void stopStandIn() throws Exception {
    client.close();
    nomad.close();
  }

  /** A file in a task's {@code local/} directory ({@code NOMAD_TASK_DIR}). */
  Path taskFile(String allocId, String task, String name) {
    return dataDir.resolve(allocId).resolve(task).resolve("local").resolve(name);
  }

  /** A file in the allocation's shared directory ({@code NOMAD_ALLOC_DIR}). */
  Path allocFile(String allocId, String name) {
    return dataDir.resolve(allocId).resolve("alloc").resolve(name);
  }
}
