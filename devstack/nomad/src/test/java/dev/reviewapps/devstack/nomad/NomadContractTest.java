package dev.reviewapps.devstack.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.Allocation;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Deployment;
import com.hashicorp.nomad.apimodel.Evaluation;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.JobSummary;
import com.hashicorp.nomad.apimodel.Node;
import com.hashicorp.nomad.apimodel.NodeListStub;
import com.hashicorp.nomad.apimodel.Port;
import com.hashicorp.nomad.apimodel.Resources;
import com.hashicorp.nomad.apimodel.TaskEvent;
import com.hashicorp.nomad.apimodel.UpdateStrategy;
import com.hashicorp.nomad.javasdk.ErrorResponseException;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadException;
import com.hashicorp.nomad.javasdk.QueryOptions;
import com.hashicorp.nomad.javasdk.ServerQueryResponse;
import com.hashicorp.nomad.javasdk.WaitStrategy;
import java.io.IOException;
import java.io.InputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What a Nomad client can rely on, checked through nomad-sdk and raw HTTP. Runs against the
 * stand-in, or against a real Nomad (with the raw_exec driver enabled) when {@code NOMAD_ADDR} is
 * set.
 */
class NomadContractTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private NomadUnderTest nomad;
  private NomadApiClient client;
  private final List<String> jobs = new ArrayList<>();

  @BeforeEach
  void start() throws IOException {
    nomad = NomadUnderTest.start();
    client = nomad.client();
  }

  @AfterEach
  void stop() throws Exception {
    for (String id : jobs) {
      client.getJobsApi().deregister(id, true);
    }
    nomad.close();
  }

  private String register(Job job) throws Exception {
    jobs.add(job.getId());
    String evalId = client.getJobsApi().register(job).getValue();
    assertThat(evalId).isNotBlank();
    return evalId;
  }

  private List<AllocationListStub> allocations(String jobId) throws Exception {
    return client.getJobsApi().allocations(jobId).getValue();
  }

  @Test
  void serviceJobServesHttpOnItsDynamicPortAndIsReached() throws Exception {
    String id = TestJobs.uniqueId("web");
    Job job = TestJobs.staticSite(id, "echo served-by-$NOMAD_TASK_NAME > index.html");
    register(job);
    AllocationListStub stub = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    Allocation alloc = client.getAllocationsApi().info(stub.getId()).getValue();
    Port port =
        alloc.getAllocatedResources().getShared().getNetworks().get(0).getDynamicPorts().get(0);
    String ip = alloc.getAllocatedResources().getShared().getNetworks().get(0).getIp();
    assertThat(port.getLabel()).isEqualTo("http");
    assertThat(port.getValue()).isPositive();

    HttpClient http = HttpClient.newHttpClient();
    String body =
        await()
            .atMost(PATIENCE)
            .ignoreExceptions()
            .until(
                () ->
                    http.send(
                            HttpRequest.newBuilder(
                                    URI.create(
                                        "http://" + ip + ":" + port.getValue() + "/index.html"))
                                .build(),
                            HttpResponse.BodyHandlers.ofString())
                        .body(),
                b -> b != null);
    assertThat(body.trim()).isEqualTo("served-by-web");
    assertThat(alloc.getTaskStates().get("web").getState()).isEqualTo("running");
    assertThat(alloc.getJob().getId()).isEqualTo(id);
  }

  @Test
  void batchJobsEndCompleteOrFailedByExitCode() throws Exception {
    String ok = TestJobs.uniqueId("batch-ok");
    String bad = TestJobs.uniqueId("batch-bad");
    register(TestJobs.job(ok, "batch", TestJobs.shell("migrate", "exit 0")));
    register(TestJobs.job(bad, "batch", TestJobs.shell("migrate", "exit 3")));

    AllocationListStub complete = TestJobs.awaitAllocation(client, ok, TestJobs.status("complete"));
    AllocationListStub failed = TestJobs.awaitAllocation(client, bad, TestJobs.status("failed"));

    assertThat(complete.getTaskStates().get("migrate").getFailed()).isFalse();
    assertThat(failed.getTaskStates().get("migrate").getFailed()).isTrue();
    List<TaskEvent> events = failed.getTaskStates().get("migrate").getEvents();
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Terminated");
              assertThat(e.getExitCode()).isEqualTo(3);
            });
    await()
        .atMost(PATIENCE)
        .until(() -> client.getJobsApi().info(ok).getValue().getStatus(), "dead"::equals);
  }

  @Test
  void changedJobReplacesItsAllocationAndAnIdenticalOneChangesNothing() throws Exception {
    String id = TestJobs.uniqueId("update");
    register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    Job same = client.getJobsApi().info(id).getValue();
    assertThat(same.getVersion()).isEqualTo(BigInteger.ZERO);
    assertThat(allocations(id))
        .extracting(AllocationListStub::getId)
        .containsExactly(first.getId());

    Job changed = TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300"));
    changed.getTaskGroups().get(0).getTasks().get(0).setEnv(Map.of("RELEASE", "2"));
    register(changed);

    AllocationListStub second =
        TestJobs.awaitAllocation(
            client,
            id,
            a -> !a.getId().equals(first.getId()) && a.getClientStatus().equals("running"));
    assertThat(second.getJobVersion()).isEqualTo(BigInteger.ONE);
    AllocationListStub old =
        TestJobs.awaitAllocation(
            client,
            id,
            a -> a.getId().equals(first.getId()) && a.getClientStatus().equals("complete"));
    assertThat(old.getDesiredStatus()).isEqualTo("stop");
    assertThat(client.getJobsApi().versions(id).getValue().getVersions()).hasSize(2);
  }

  /** A service job whose group starts one canary per change and waits for promotion. */
  private static Job canaryJob(String id, String release, String script) {
    Job job = TestJobs.job(id, "service", TestJobs.shell("web", script));
    job.getTaskGroups().get(0).getTasks().get(0).setEnv(Map.of("RELEASE", release));
    job.getTaskGroups()
        .get(0)
        .setUpdate(
            new UpdateStrategy()
                .setMaxParallel(1)
                .setCanary(1)
                .setAutoPromote(false)
                .setAutoRevert(false)
                .setHealthCheck("task_states")
                .setMinHealthyTime(Duration.ofSeconds(1).toNanos())
                .setHealthyDeadline(Duration.ofSeconds(4).toNanos())
                .setProgressDeadline(Duration.ofSeconds(30).toNanos()));
    return job;
  }

  private Deployment latestDeployment(String jobId) throws Exception {
    return client.getJobsApi().latestDeployment(jobId).getValue();
  }

  @Test
  void canariesStartBesideTheOldAllocationWhichStopsOnlyOncePromoted() throws Exception {
    String id = TestJobs.uniqueId("canary");
    register(canaryJob(id, "1", "exec sleep 300"));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    // The first version has nothing to replace: no canary, placed at once.
    await()
        .atMost(PATIENCE)
        .until(() -> latestDeployment(id), d -> d != null && d.getStatus().equals("successful"));
    assertThat(latestDeployment(id).getTaskGroups().get("main").getDesiredCanaries()).isZero();

    register(canaryJob(id, "2", "exec sleep 300"));
    AllocationListStub canary =
        TestJobs.awaitAllocation(
            client,
            id,
            a ->
                a.getJobVersion().equals(BigInteger.ONE)
                    && a.getDeploymentStatus() != null
                    && Boolean.TRUE.equals(a.getDeploymentStatus().getHealthy()));
    assertThat(canary.getDeploymentStatus().getCanary()).isTrue();
    Deployment waiting = latestDeployment(id);
    assertThat(waiting.getStatus()).isEqualTo("running");
    assertThat(waiting.getJobVersion()).isEqualTo(BigInteger.ONE);
    assertThat(waiting.getTaskGroups().get("main").getDesiredCanaries()).isEqualTo(1);
    assertThat(waiting.getTaskGroups().get("main").getPromoted()).isFalse();
    assertThat(waiting.getTaskGroups().get("main").getPlacedCanaries())
        .containsExactly(canary.getId());
    // The old allocation is neither stopped nor told to stop while the canary waits.
    assertThat(allocations(id))
        .filteredOn(a -> a.getId().equals(first.getId()))
        .singleElement()
        .satisfies(
            a -> {
              assertThat(a.getDesiredStatus()).isEqualTo("run");
              assertThat(a.getClientStatus()).isEqualTo("running");
            });

    client.getDeploymentsApi().promoteAll(waiting.getId());
    TestJobs.awaitAllocation(
        client, id, a -> a.getId().equals(first.getId()) && a.getDesiredStatus().equals("stop"));
    await().atMost(PATIENCE).until(() -> latestDeployment(id).getStatus(), "successful"::equals);
    assertThat(latestDeployment(id).getTaskGroups().get("main").getPromoted()).isTrue();
    assertThat(allocations(id))
        .filteredOn(a -> a.getDesiredStatus().equals("run"))
        .extracting(AllocationListStub::getId)
        .containsExactly(canary.getId());
  }

  @Test
  void aChangeThatScalesTheGroupToZeroStopsItWithoutCanaries() throws Exception {
    String id = TestJobs.uniqueId("canary-zero");
    register(canaryJob(id, "1", "exec sleep 300"));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    Job none = canaryJob(id, "2", "exec sleep 300");
    none.getTaskGroups().get(0).setCount(0);
    register(none);
    TestJobs.awaitAllocation(
        client, id, a -> a.getId().equals(first.getId()) && a.getDesiredStatus().equals("stop"));
    assertThat(allocations(id)).allMatch(a -> a.getDesiredStatus().equals("stop"));
  }

  @Test
  void aCanaryThatNeverBecomesHealthyFailsTheDeploymentAndTheOldOneServesOn() throws Exception {
    String id = TestJobs.uniqueId("canary-bad");
    register(canaryJob(id, "1", "exec sleep 300"));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    await()
        .atMost(PATIENCE)
        .until(() -> latestDeployment(id), d -> d != null && d.getStatus().equals("successful"));

    register(canaryJob(id, "2", "sleep 0.3; exit 1"));
    await().atMost(PATIENCE).until(() -> latestDeployment(id).getStatus(), "failed"::equals);
    Deployment failed = latestDeployment(id);
    assertThat(failed.getStatusDescription()).isEqualTo("Failed due to unhealthy allocations");
    assertThat(failed.getTaskGroups().get("main").getUnhealthyAllocs()).isPositive();
    assertThat(allocations(id))
        .filteredOn(a -> a.getId().equals(first.getId()))
        .singleElement()
        .satisfies(a -> assertThat(a.getDesiredStatus()).isEqualTo("run"));
    assertThatThrownBy(() -> client.getDeploymentsApi().promoteAll(failed.getId()))
        .isInstanceOf(NomadException.class);
  }

  @Test
  void deregisterStopsTheJobsAllocations() throws Exception {
    String id = TestJobs.uniqueId("stop");
    register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    String evalId = client.getJobsApi().deregister(id).getValue();

    assertThat(evalId).isNotBlank();
    AllocationListStub stopped = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));
    assertThat(stopped.getDesiredStatus()).isEqualTo("stop");
    assertThat(stopped.getTaskStates().get("worker").getState()).isEqualTo("dead");
    Job job = client.getJobsApi().info(id).getValue();
    assertThat(job.getStop()).isTrue();
    await()
        .atMost(PATIENCE)
        .until(() -> client.getJobsApi().info(id).getValue().getStatus(), "dead"::equals);
  }

  @Test
  void purgedJobIsGoneAndUnknownJobsAre404() throws Exception {
    String id = TestJobs.uniqueId("purge");
    register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    client.getJobsApi().deregister(id, true);

    assertThatThrownBy(() -> client.getJobsApi().info(id))
        .isInstanceOfSatisfying(
            ErrorResponseException.class, e -> assertThat(e.getServerErrorCode()).isEqualTo(404));
    assertThat(client.getJobsApi().list(id).getValue()).isEmpty();
  }

  @Test
  void blockingAllocationQueryIsWokenByAStatusChange() throws Exception {
    String id = TestJobs.uniqueId("block");
    register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    ServerQueryResponse<List<AllocationListStub>> before = client.getJobsApi().allocations(id);

    CompletableFuture<ServerQueryResponse<List<AllocationListStub>>> blocked =
        CompletableFuture.supplyAsync(
            () -> {
              try {
                return client
                    .getJobsApi()
                    .allocations(
                        id,
                        new QueryOptions<List<AllocationListStub>>()
                            .setIndex(before.getIndex())
                            .setWaitStrategy(WaitStrategy.waitForSeconds(120)));
              } catch (Exception e) {
                throw new IllegalStateException(e);
              }
            });
    // Against the stand-in, make sure the query is parked before the change that should wake it.
    nomad.standIn().ifPresent(s -> await().atMost(PATIENCE).until(() -> s.parkedQueries() > 0));
    client.getJobsApi().deregister(id);

    ServerQueryResponse<List<AllocationListStub>> after =
        await().atMost(PATIENCE).until(() -> blocked.getNow(null), r -> r != null);
    assertThat(after.getIndex()).isGreaterThan(before.getIndex());
    assertThat(after.getValue().get(0).getDesiredStatus()).isEqualTo("stop");
  }

  @Test
  void taskLogsAreReadable() throws Exception {
    String id = TestJobs.uniqueId("logs");
    register(
        TestJobs.job(id, "batch", TestJobs.shell("seed", "echo seeded 42 rows; echo oops >&2")));
    AllocationListStub done = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));

    Allocation alloc = client.getAllocationsApi().info(done.getId()).getValue();
    Node node = client.getNodesApi().info(alloc.getNodeId()).getValue();
    try (InputStream stdout =
            client.getClientApi(node).logs(done.getId(), "seed", false, "stdout");
        InputStream stderr =
            client.getClientApi(node).logs(done.getId(), "seed", false, "stderr")) {
      assertThat(new String(stdout.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("seeded 42 rows\n");
      assertThat(new String(stderr.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("oops\n");
    }
  }

  @Test
  void jobTooBigToPlaceWaitsUntilResourcesAreFreed() throws Exception {
    NodeListStub nodeStub = client.getNodesApi().list().getValue().get(0);
    Node node = client.getNodesApi().info(nodeStub.getId()).getValue();
    long memory = node.getNodeResources().getMemory().getMemoryMb();
    int share = (int) (memory * 6 / 10);

    String first = TestJobs.uniqueId("big-a");
    String second = TestJobs.uniqueId("big-b");
    Job a = TestJobs.job(first, "service", TestJobs.shell("hog", "exec sleep 300"));
    a.getTaskGroups()
        .get(0)
        .getTasks()
        .get(0)
        .setResources(new Resources().setCpu(100).setMemoryMb(share));
    Job b = TestJobs.job(second, "service", TestJobs.shell("hog", "exec sleep 300"));
    b.getTaskGroups()
        .get(0)
        .getTasks()
        .get(0)
        .setResources(new Resources().setCpu(100).setMemoryMb(share));
    register(a);
    TestJobs.awaitAllocation(client, first, TestJobs.status("running"));

    String evalId = register(b);
    Evaluation eval =
        await()
            .atMost(PATIENCE)
            .until(
                () -> client.getEvaluationsApi().info(evalId).getValue(),
                e -> e.getStatus().equals("complete"));
    assertThat(eval.getFailedTgAllocs()).containsKey("main");
    assertThat(eval.getFailedTgAllocs().get("main").getDimensionExhausted()).containsKey("memory");
    assertThat(eval.getBlockedEval()).isNotBlank();
    assertThat(client.getEvaluationsApi().info(eval.getBlockedEval()).getValue().getStatus())
        .isEqualTo("blocked");
    JobSummary summary = client.getJobsApi().summary(second).getValue();
    assertThat(summary.getSummary().get("main").getQueued()).isEqualTo(1);
    assertThat(allocations(second)).isEmpty();

    client.getJobsApi().deregister(first);

    TestJobs.awaitAllocation(client, second, TestJobs.status("running"));
  }

  @Test
  void malformedJobIsRefusedWith400NamingTheProblem() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    HttpResponse<String> noId =
        http.send(
            HttpRequest.newBuilder(URI.create(nomad.address() + "/v1/jobs"))
                .PUT(
                    HttpRequest.BodyPublishers.ofString(
                        "{\"Job\":{\"Name\":\"x\",\"Type\":\"service\",\"Datacenters\":[\"dc1\"],"
                            + "\"TaskGroups\":[{\"Name\":\"g\",\"Tasks\":[{\"Name\":\"t\",\"Driver\":\"raw_exec\","
                            + "\"Config\":{\"command\":\"true\"}}]}]}}"))
                .build(),
            HttpResponse.BodyHandlers.ofString());
    HttpResponse<String> notJson =
        http.send(
            HttpRequest.newBuilder(URI.create(nomad.address() + "/v1/jobs"))
                .PUT(HttpRequest.BodyPublishers.ofString("{not json"))
                .build(),
            HttpResponse.BodyHandlers.ofString());

    assertThat(noId.statusCode()).isEqualTo(400);
    assertThat(noId.body()).contains("ID");
    assertThat(notJson.statusCode()).isEqualTo(400);
  }

  @Test
  void unknownJobAndAllocationAnswer404() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    for (String path :
        List.of("/v1/job/no-such-job", "/v1/allocation/" + java.util.UUID.randomUUID())) {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(URI.create(nomad.address() + path)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertThat(response.statusCode()).as(path).isEqualTo(404);
      assertThat(response.body()).as(path).contains("not found");
    }
  }
}
