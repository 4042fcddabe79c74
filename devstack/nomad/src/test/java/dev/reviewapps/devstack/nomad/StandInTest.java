package dev.reviewapps.devstack.nomad;

import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
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

  /** Registers a service job whose one task sleeps, and returns the job's index. */
  long registerSleeper(String jobId) throws Exception {
    client
        .getJobsApi()
        .register(TestJobs.job(jobId, "service", TestJobs.shell("w", "exec sleep 300")));
    return client.getJobsApi().info(jobId).getIndex().longValue();
  }

  /** Sends a blocking read of the job newer than {@code index} and waits until it is parked. */
  CompletableFuture<HttpResponse<String>> parkedJobRead(String jobId, long index) {
    CompletableFuture<HttpResponse<String>> pending =
        HttpClient.newHttpClient()
            .sendAsync(
                HttpRequest.newBuilder(
                        URI.create(
                            nomad.baseUrl() + "/v1/job/" + jobId + "?index=" + index + "&wait=5m"))
                    .build(),
                HttpResponse.BodyHandlers.ofString());
    await().atMost(Duration.ofSeconds(30)).until(() -> nomad.parkedQueries() > 0);
    return pending;
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
