package dev.reviewapps.devstack.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.Allocation;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.NetworkResource;
import com.hashicorp.nomad.apimodel.Port;
import com.hashicorp.nomad.apimodel.Resources;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskLifecycle;
import com.hashicorp.nomad.apimodel.TaskState;
import java.math.BigInteger;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Lifecycle ordering, leaders, scaling, stopping single allocations, task-level ports, signals. */
class SchedulingTest extends StandInTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  private static Task hooked(Task task, String hook, boolean sidecar) {
    return task.setLifecycle(new TaskLifecycle().setHook(hook).setSidecar(sidecar));
  }

  @Test
  void sidecarAndPoststartTasksStopWhenTheMainTaskIsDone() throws Exception {
    String id = TestJobs.uniqueId("sidecar");
    Job job =
        TestJobs.job(
            id,
            "batch",
            TestJobs.shell("main", "sleep 0.5"),
            hooked(TestJobs.shell("proxy", "exec sleep 300"), "prestart", true),
            hooked(TestJobs.shell("announce", "exec sleep 300"), "poststart", false));
    client.getJobsApi().register(job);

    AllocationListStub done = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));

    Map<String, TaskState> states = done.getTaskStates();
    assertThat(states.values()).allSatisfy(s -> assertThat(s.getState()).isEqualTo("dead"));
    assertThat(states.values()).noneMatch(TaskState::getFailed);
    assertThat(states.get("proxy").getStartedAt())
        .isBeforeOrEqualTo(states.get("main").getStartedAt());
    assertThat(states.get("announce").getStartedAt())
        .isAfterOrEqualTo(states.get("main").getStartedAt());
    assertThat(states.get("proxy").getEvents()).extracting(e -> e.getType()).contains("Killed");
  }

  @Test
  void deadLeaderStopsItsSiblings() throws Exception {
    String id = TestJobs.uniqueId("leader");
    Job job =
        TestJobs.job(
            id,
            "batch",
            TestJobs.shell("leader", "sleep 0.3").setLeader(true),
            TestJobs.shell("follower", "exec sleep 300"));
    client.getJobsApi().register(job);

    AllocationListStub done = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));

    assertThat(done.getTaskStates().get("follower").getEvents())
        .extracting(e -> e.getType())
        .contains("Leader Task Dead", "Killed");
  }

  @Test
  void stoppingOneAllocationPlacesAReplacement() throws Exception {
    String id = TestJobs.uniqueId("replace");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    client.getAllocationsApi().stop(first.getId());

    AllocationListStub second =
        TestJobs.awaitAllocation(
            client,
            id,
            a -> !a.getId().equals(first.getId()) && a.getClientStatus().equals("running"));
    assertThat(second.getName()).isEqualTo(first.getName());
    TestJobs.awaitAllocation(
        client, id, a -> a.getId().equals(first.getId()) && a.getClientStatus().equals("complete"));
  }

  @Test
  void countChangesScaleWithoutReplacingRunningAllocations() throws Exception {
    String id = TestJobs.uniqueId("scale");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    AllocationListStub first = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    Job three = TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300"));
    three.getTaskGroups().get(0).setCount(3);
    client.getJobsApi().register(three);
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                client.getJobsApi().allocations(id).getValue().stream()
                    .filter(TestJobs.status("running"))
                    .count(),
            n -> n == 3);
    Allocation kept = client.getAllocationsApi().info(first.getId()).getValue();
    assertThat(kept.getClientStatus()).isEqualTo("running");
    assertThat(kept.getJob().getVersion()).isEqualTo(BigInteger.ONE);

    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", "exec sleep 300")));
    await()
        .atMost(PATIENCE)
        .until(
            () ->
                client.getJobsApi().allocations(id).getValue().stream()
                    .filter(TestJobs.status("running"))
                    .toList(),
            l -> l.size() == 1 && l.get(0).getId().equals(first.getId()));
  }

  @Test
  void taskLevelNetworkPortsReachTheTaskAndItsAllocatedResources() throws Exception {
    String id = TestJobs.uniqueId("taskport");
    Task task =
        TestJobs.shell("redis", "echo $NOMAD_PORT_db > \"$NOMAD_TASK_DIR/port\"; exec sleep 300")
            .setResources(
                new Resources()
                    .setCpu(100)
                    .setMemoryMb(64)
                    .setNetworks(
                        List.of(
                            new NetworkResource()
                                .setDynamicPorts(List.of(new Port().setLabel("db"))))));
    client.getJobsApi().register(TestJobs.job(id, "service", task));
    AllocationListStub running = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    Allocation alloc = client.getAllocationsApi().info(running.getId()).getValue();
    int port =
        alloc
            .getAllocatedResources()
            .getTasks()
            .get("redis")
            .getNetworks()
            .get(0)
            .getDynamicPorts()
            .get(0)
            .getValue();
    Path written = taskFile(running.getId(), "redis", "port");
    await().atMost(PATIENCE).until(() -> Files.exists(written) && Files.size(written) > 0);
    assertThat(Files.readString(written).trim()).isEqualTo(Integer.toString(port));
  }

  @Test
  void theJobsKillSignalReachesTheTask() throws Exception {
    String id = TestJobs.uniqueId("signal");
    Task task =
        TestJobs.shell(
                "web",
                "trap 'echo graceful > \"$NOMAD_ALLOC_DIR/stopped\"; exit 0' INT; sleep 300 & wait")
            .setKillSignal("SIGINT");
    client.getJobsApi().register(TestJobs.job(id, "service", task));
    AllocationListStub running = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));

    client.getJobsApi().deregister(id);

    TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));
    assertThat(Files.readString(allocFile(running.getId(), "stopped")).trim())
        .isEqualTo("graceful");
  }

  @Test
  void raceFreeBlockingReadOfAJobSeesItsNextVersion() throws Exception {
    String id = TestJobs.uniqueId("version");
    long index = registerSleeper(id);
    var pending = parkedJobRead(id, index);

    Job changed = TestJobs.job(id, "service", TestJobs.shell("w", "exec sleep 301"));
    client.getJobsApi().register(changed);

    HttpResponse<String> response = pending.get();
    assertThat(Long.parseLong(response.headers().firstValue("X-Nomad-Index").orElseThrow()))
        .isGreaterThan(index);
    assertThat(response.body()).contains("\"Version\":1");
  }

  @Test
  void aJobRegisteredAgainAfterPurgeListsOnlyItsNewAllocations() throws Exception {
    String id = TestJobs.uniqueId("again");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("w", "exec sleep 300")));
    AllocationListStub old = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    client.getJobsApi().deregister(id, true);
    TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));

    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("w", "exec sleep 300")));

    AllocationListStub fresh = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    assertThat(client.getJobsApi().allocations(id).getValue())
        .extracting(AllocationListStub::getId)
        .containsExactly(fresh.getId());
    assertThat(client.getAllocationsApi().info(old.getId()).getValue().getClientStatus())
        .isEqualTo("complete");
  }

  @Test
  void aStaticPortIsHonouredAndASecondClaimWaitsForIt() throws Exception {
    int port;
    try (java.net.ServerSocket probe =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      port = probe.getLocalPort();
    }
    String first = TestJobs.uniqueId("static-a");
    String second = TestJobs.uniqueId("static-b");
    for (String id : List.of(first, second)) {
      Job job =
          TestJobs.job(
              id,
              "service",
              TestJobs.shell(
                  "w", "echo $NOMAD_PORT_admin > \"$NOMAD_TASK_DIR/port\"; exec sleep 300"));
      job.getTaskGroups()
          .get(0)
          .setNetworks(
              List.of(
                  new NetworkResource()
                      .setReservedPorts(List.of(new Port().setLabel("admin").setValue(port)))));
      String evalId = client.getJobsApi().register(job).getValue();
      if (id.equals(second)) {
        assertThat(
                client
                    .getEvaluationsApi()
                    .info(evalId)
                    .getValue()
                    .getFailedTgAllocs()
                    .get("main")
                    .getDimensionExhausted())
            .containsKey("network: reserved port collision admin=" + port);
      }
    }
    AllocationListStub a = TestJobs.awaitAllocation(client, first, TestJobs.status("running"));
    Path written = taskFile(a.getId(), "w", "port");
    await().atMost(PATIENCE).until(() -> Files.exists(written) && Files.size(written) > 0);
    assertThat(Files.readString(written).trim()).isEqualTo(Integer.toString(port));
    assertThat(client.getJobsApi().allocations(second).getValue()).isEmpty();

    client.getJobsApi().deregister(first);

    TestJobs.awaitAllocation(client, second, TestJobs.status("running"));
  }
}
