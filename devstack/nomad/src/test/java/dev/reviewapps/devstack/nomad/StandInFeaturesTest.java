package dev.reviewapps.devstack.nomad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.nomad.apimodel.AgentSelf;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Evaluation;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.Node;
import com.hashicorp.nomad.apimodel.NodeListStub;
import com.hashicorp.nomad.apimodel.Service;
import com.hashicorp.nomad.apimodel.ServiceCheck;
import com.hashicorp.nomad.apimodel.Task;
import dev.reviewapps.devstack.nomad.exec.ImageCommand;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Stand-in behaviour beyond the contract suite: service checks and health, the docker driver's
 * absence and its image mapping, log offsets, headers of blocking queries, node and agent reads.
 */
class StandInFeaturesTest extends StandInTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newHttpClient();

  @Override
  NomadConfig.Builder config() {
    return super.config()
        .images(List.of(new ImageCommand("registry.example.com/redis:*", "exec sleep 300")));
  }

  private HttpResponse<String> get(String pathAndQuery) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(nomad.baseUrl() + pathAndQuery)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpCheckThatPassesMarksTheAllocationHealthy() throws Exception {
    String id = TestJobs.uniqueId("healthy");
    Job job = TestJobs.staticSite(id, "echo ok > health");
    job.getTaskGroups()
        .get(0)
        .setServices(
            List.of(
                new Service()
                    .setName("web")
                    .setPortLabel("http")
                    .setChecks(
                        List.of(
                            new ServiceCheck()
                                .setName("alive")
                                .setType("http")
                                .setPath("/health")
                                .setInterval(200_000_000L)
                                .setTimeout(1_000_000_000L)))));
    client.getJobsApi().register(job);

    AllocationListStub healthy =
        TestJobs.awaitAllocation(
            client,
            id,
            a ->
                a.getDeploymentStatus() != null
                    && Boolean.TRUE.equals(a.getDeploymentStatus().getHealthy()));

    JsonNode checks =
        JSON.readTree(get("/v1/client/allocation/" + healthy.getId() + "/checks").body());
    assertThat(checks.size()).isEqualTo(1);
    JsonNode check = checks.elements().next();
    assertThat(check.path("Status").asText()).isEqualTo("success");
    assertThat(check.path("StatusCode").asInt()).isEqualTo(200);
    assertThat(check.path("Service").asText()).isEqualTo("web");
  }

  @Test
  void dockerTaskWithoutAnEngineIsNotPlacedForMissingDrivers() throws Exception {
    String id = TestJobs.uniqueId("docker");
    Task task =
        new Task()
            .setName("web")
            .setDriver("docker")
            .setConfig(Map.of("image", "registry.example.com/shop/web:1"));
    String evalId = client.getJobsApi().register(TestJobs.job(id, "service", task)).getValue();

    Evaluation eval = client.getEvaluationsApi().info(evalId).getValue();

    assertThat(eval.getFailedTgAllocs().get("main").getConstraintFiltered())
        .containsEntry("missing drivers", 1);
    assertThat(client.getJobsApi().allocations(id).getValue()).isEmpty();
    assertThat(client.getJobsApi().info(id).getValue().getStatus()).isEqualTo("pending");
  }

  @Test
  void mappedDockerImageRunsAsARawExecCommandAndSaysSo() throws Exception {
    String id = TestJobs.uniqueId("redis");
    Task task =
        new Task()
            .setName("redis")
            .setDriver("docker")
            .setConfig(Map.of("image", "registry.example.com/redis:7"));
    client.getJobsApi().register(TestJobs.job(id, "service", task));

    AllocationListStub running = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    assertThat(running.getTaskStates().get("redis").getEvents())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Driver");
              assertThat(e.getDisplayMessage())
                  .contains("no docker engine")
                  .contains("exec sleep 300");
            });
  }

  @Test
  void logsCanBeReadFromAnOffsetAndAsStreamFrames() throws Exception {
    String id = TestJobs.uniqueId("logs");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "batch", TestJobs.shell("seed", "printf 'abcdefghij'")));
    AllocationListStub done = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));
    String base = "/v1/client/fs/logs/" + done.getId() + "?task=seed&type=stdout";

    assertThat(get(base + "&plain=true&origin=end&offset=3").body()).isEqualTo("hij");
    assertThat(get(base + "&plain=true&origin=start&offset=7").body()).isEqualTo("hij");
    JsonNode frame = JSON.readTree(get(base).body());
    assertThat(
            new String(
                Base64.getDecoder().decode(frame.path("Data").asText()), StandardCharsets.UTF_8))
        .isEqualTo("abcdefghij");
    assertThat(frame.path("File").asText()).isEqualTo("alloc/logs/seed.stdout.0");
    assertThat(get(base.replace("task=seed", "task=nope") + "&plain=true").statusCode())
        .isEqualTo(404);
    assertThat(get(base.replace("type=stdout", "type=both")).statusCode()).isEqualTo(400);
  }

  @Test
  void readsCarryNomadsHeadersAndABlockingQueryReturnsAtItsWait() throws Exception {
    String id = TestJobs.uniqueId("headers");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    HttpResponse<String> read =
        get("/v1/job/" + id + "?region=global&namespace=default&region=global");
    long index = Long.parseLong(read.headers().firstValue("X-Nomad-Index").orElseThrow());
    assertThat(read.headers().firstValue("X-Nomad-KnownLeader")).contains("true");
    assertThat(read.headers().firstValue("X-Nomad-LastContact")).contains("0");

    HttpResponse<String> blocked = get("/v1/job/" + id + "?index=" + index + "&wait=300ms");

    assertThat(blocked.statusCode()).isEqualTo(200);
    assertThat(blocked.headers().firstValue("X-Nomad-Index")).contains(Long.toString(index));
    assertThat(get("/v1/job/" + id + "?index=" + index + "&wait=soon").statusCode()).isEqualTo(400);
  }

  @Test
  void nodeAgentAndLeaderReadsParseInNomadSdk() throws Exception {
    List<NodeListStub> nodes = client.getNodesApi().list().getValue();
    assertThat(nodes).hasSize(1);
    Node node = client.getNodesApi().info(nodes.get(0).getId()).getValue();
    AgentSelf self = client.getAgentApi().self().getValue();

    assertThat(node.getStatus()).isEqualTo("ready");
    assertThat(node.getHttpAddr()).isEqualTo("127.0.0.1:" + nomad.port());
    assertThat(node.getNodeResources().getMemory().getMemoryMb()).isEqualTo(8192);
    assertThat(node.getDrivers().get("raw_exec").getHealthy()).isTrue();
    assertThat(self.getMember().getStatus()).isEqualTo("alive");
    assertThat(client.getStatusApi().leader().getValue()).isNotBlank();
    assertThat(client.getAgentApi().members().getValue().getMembers()).hasSize(1);
  }

  @Test
  void parkedQueriesAreAnsweredWhenTheStandInCloses() throws Exception {
    String id = TestJobs.uniqueId("closing");
    var pending = parkedJobRead(id, registerSleeper(id));

    nomad.close();

    assertThat(pending.get().statusCode()).isEqualTo(200);
  }
}
