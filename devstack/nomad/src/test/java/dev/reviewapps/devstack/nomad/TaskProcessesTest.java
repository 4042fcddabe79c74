package dev.reviewapps.devstack.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.RestartPolicy;
import com.hashicorp.nomad.apimodel.TaskState;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The stand-in's raw_exec driver as the host sees it: real processes in their own sessions, with
 * Nomad's environment, restarted by policy, and all gone when they are stopped.
 */
class TaskProcessesTest extends StandInTest {
  private static final Duration PATIENCE = Duration.ofSeconds(30);

  /** A task whose shell leaves a background child and records its pid. */
  private static final String PARENT_AND_CHILD =
      "sleep 300 & echo $! > \"$NOMAD_TASK_DIR/child.pid\"; echo $$ > \"$NOMAD_TASK_DIR/leader.pid\"; wait";

  private List<Long> parentAndChild(AllocationListStub alloc) throws Exception {
    Path child = taskFile(alloc.getId(), "worker", "child.pid");
    Path leader = taskFile(alloc.getId(), "worker", "leader.pid");
    await().atMost(PATIENCE).until(() -> Files.exists(child) && Files.exists(leader));
    List<Long> pids = List.of(HostProcesses.pidIn(leader), HostProcesses.pidIn(child));
    assertThat(pids).allMatch(HostProcesses::alive);
    return pids;
  }

  @Test
  void childProcessesOfATaskDieWhenItsJobIsDeregistered() throws Exception {
    String id = TestJobs.uniqueId("children");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", PARENT_AND_CHILD)));
    AllocationListStub alloc = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    List<Long> pids = parentAndChild(alloc);
    assertThat(nomad.taskPids().get(alloc.getId())).containsEntry("worker", pids.get(0));

    client.getJobsApi().deregister(id);

    await().atMost(PATIENCE).until(() -> pids.stream().noneMatch(HostProcesses::alive));
    AllocationListStub stopped = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));
    assertThat(stopped.getTaskStates().get("worker").getEvents())
        .extracting(e -> e.getType())
        .contains("Killing", "Killed");
  }

  /**
   * A destructive update with a group {@code shutdown_delay}: the old allocation is told to stop
   * (desired status stop, its service deregistered) but its process keeps running for the delay,
   * while the replacement starts next to it; only then is it killed. This is what lets a new
   * release start before the old one stops serving.
   */
  @Test
  void shutdownDelayKeepsTheOldAllocationRunningWhileItsReplacementStarts() throws Exception {
    String id = TestJobs.uniqueId("drain");
    Job job = TestJobs.job(id, "service", TestJobs.shell("worker", PARENT_AND_CHILD));
    job.getTaskGroups().get(0).setShutdownDelay(Duration.ofSeconds(3).toNanos());
    client.getJobsApi().register(job);
    AllocationListStub old = TestJobs.awaitAllocation(client, id, TestJobs.status("running"));
    List<Long> oldPids = parentAndChild(old);

    job.getTaskGroups().get(0).getTasks().get(0).setEnv(Map.of("RELEASE", "2"));
    client.getJobsApi().register(job);

    AllocationListStub replacement =
        TestJobs.awaitAllocation(
            client,
            id,
            a -> !a.getId().equals(old.getId()) && a.getClientStatus().equals("running"));
    AllocationListStub draining =
        client.getJobsApi().allocations(id).getValue().stream()
            .filter(a -> a.getId().equals(old.getId()))
            .findFirst()
            .orElseThrow();
    assertThat(draining.getDesiredStatus()).isEqualTo("stop");
    assertThat(draining.getClientStatus()).isEqualTo("running");
    assertThat(oldPids).allMatch(HostProcesses::alive);
    assertThat(draining.getTaskStates().get("worker").getEvents())
        .extracting(e -> e.getType())
        .contains("Waiting for shutdown delay");
    assertThat(replacement.getDesiredStatus()).isEqualTo("run");

    await().atMost(PATIENCE).until(() -> oldPids.stream().noneMatch(HostProcesses::alive));
    TestJobs.awaitAllocation(
        client, id, a -> a.getId().equals(old.getId()) && a.getClientStatus().equals("complete"));
  }

  @Test
  void closingTheStandInKillsEveryTaskProcess() throws Exception {
    String id = TestJobs.uniqueId("close");
    client
        .getJobsApi()
        .register(TestJobs.job(id, "service", TestJobs.shell("worker", PARENT_AND_CHILD)));
    List<Long> pids =
        parentAndChild(TestJobs.awaitAllocation(client, id, TestJobs.status("running")));

    nomad.close();

    assertThat(pids).noneMatch(HostProcesses::alive);
  }

  @Test
  void taskThatIgnoresTheKillSignalIsKilledAfterItsKillTimeout() throws Exception {
    String id = TestJobs.uniqueId("stubborn");
    Job job =
        TestJobs.job(
            id,
            "service",
            TestJobs.shell("worker", "trap '' TERM; " + PARENT_AND_CHILD)
                .setKillTimeout(500_000_000L));
    client.getJobsApi().register(job);
    List<Long> pids =
        parentAndChild(TestJobs.awaitAllocation(client, id, TestJobs.status("running")));

    client.getJobsApi().deregister(id);

    await().atMost(PATIENCE).until(() -> pids.stream().noneMatch(HostProcesses::alive));
    AllocationListStub stopped = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));
    assertThat(stopped.getTaskStates().get("worker").getEvents())
        .anySatisfy(
            e -> assertThat(e.getDisplayMessage()).contains("Waiting 500ms before force killing"));
  }

  /**
   * SIGTERM runs the stand-in's shutdown hook; SIGKILL runs nothing, and the tasks' watchers see
   * the JVM's pipes close.
   */
  @ParameterizedTest(name = "killed forcibly: {0}")
  @ValueSource(booleans = {false, true})
  void standInProcessThatIsKilledLeavesNoTaskBehind(boolean forcibly) throws Exception {
    Path otherData = Files.createDirectory(dataDir.resolve("other"));
    List<String> command =
        List.of(
            Path.of(System.getProperty("java.home"), "bin", "java").toString(),
            "-cp",
            System.getProperty("java.class.path"),
            NomadCommand.class.getName(),
            "--port",
            "0",
            "--data-dir",
            otherData.toString());
    Process server = new ProcessBuilder(command).redirectErrorStream(true).start();
    try {
      CompletableFuture<String> address = new CompletableFuture<>();
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader lines =
                    new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = lines.readLine()) != null; ) {
                    if (line.startsWith("nomad stand-in listening on ")) {
                      address.complete(
                          line.substring("nomad stand-in listening on ".length()).trim());
                    }
                  }
                } catch (Exception e) {
                  address.completeExceptionally(e);
                }
              });
      reader.setDaemon(true);
      reader.start();
      String url = await().atMost(PATIENCE).until(() -> address.getNow(null), a -> a != null);
      List<Long> pids = new ArrayList<>();
      try (NomadApiClient other = new NomadApiClient(url)) {
        String id = TestJobs.uniqueId("orphan");
        other
            .getJobsApi()
            .register(TestJobs.job(id, "service", TestJobs.shell("worker", PARENT_AND_CHILD)));
        String allocId =
            await()
                .atMost(PATIENCE)
                .until(() -> other.getJobsApi().allocations(id).getValue(), l -> !l.isEmpty())
                .get(0)
                .getId();
        Path local = otherData.resolve(allocId).resolve("worker").resolve("local");
        await()
            .atMost(PATIENCE)
            .until(
                () ->
                    Files.exists(local.resolve("child.pid"))
                        && Files.exists(local.resolve("leader.pid")));
        pids.add(HostProcesses.pidIn(local.resolve("leader.pid")));
        pids.add(HostProcesses.pidIn(local.resolve("child.pid")));
      }
      assertThat(pids).allMatch(HostProcesses::alive);

      if (forcibly) {
        server.destroyForcibly();
      } else {
        server.destroy();
      }

      await().atMost(PATIENCE).until(() -> !server.isAlive());
      await().atMost(PATIENCE).until(() -> pids.stream().noneMatch(HostProcesses::alive));
    } finally {
      server.destroyForcibly();
    }
  }

  @Test
  void taskSeesNomadsEnvironmentAndItsOwnEnv() throws Exception {
    String id = TestJobs.uniqueId("env");
    Job job =
        TestJobs.withDynamicPort(
            TestJobs.job(
                id,
                "batch",
                TestJobs.shell(
                    "seed",
                    "env > \"$NOMAD_TASK_DIR/env.txt\"; pwd >> \"$NOMAD_TASK_DIR/env.txt\"")),
            "http");
    job.setMeta(Map.of("branch", "deploy-foo"));
    job.getTaskGroups()
        .get(0)
        .getTasks()
        .get(0)
        .setEnv(Map.of("RAILS_ENV", "staging", "PORT", "${NOMAD_PORT_http}"));
    client.getJobsApi().register(job);
    AllocationListStub alloc = TestJobs.awaitAllocation(client, id, TestJobs.status("complete"));

    List<String> lines = Files.readAllLines(taskFile(alloc.getId(), "seed", "env.txt"));
    String port =
        lines.stream()
            .filter(l -> l.startsWith("NOMAD_PORT_http="))
            .findFirst()
            .orElseThrow()
            .split("=")[1];
    assertThat(Integer.parseInt(port)).isBetween(20000, 32000);
    assertThat(lines)
        .contains(
            "NOMAD_ALLOC_ID=" + alloc.getId(),
            "NOMAD_JOB_NAME=" + id,
            "NOMAD_TASK_NAME=seed",
            "NOMAD_GROUP_NAME=main",
            "NOMAD_ALLOC_DIR=" + dataDir.resolve(alloc.getId()).resolve("alloc"),
            "NOMAD_TASK_DIR=" + dataDir.resolve(alloc.getId()).resolve("seed").resolve("local"),
            "NOMAD_IP_http=127.0.0.1",
            "NOMAD_ADDR_http=127.0.0.1:" + port,
            "NOMAD_META_branch=deploy-foo",
            "RAILS_ENV=staging",
            "PORT=" + port,
            dataDir.resolve(alloc.getId()).resolve("seed").toString());
  }

  @Test
  void failingServiceTaskIsRestartedByItsPolicyThenFails() throws Exception {
    String id = TestJobs.uniqueId("crash");
    Job job =
        TestJobs.job(
            id,
            "service",
            TestJobs.shell("worker", "echo started >> \"$NOMAD_ALLOC_DIR/starts\"; exit 7"));
    job.getTaskGroups()
        .get(0)
        .setRestartPolicy(
            new RestartPolicy()
                .setAttempts(2)
                .setDelay(10_000_000L)
                .setInterval(600_000_000_000L)
                .setMode("fail"));
    client.getJobsApi().register(job);

    AllocationListStub failed = TestJobs.awaitAllocation(client, id, TestJobs.status("failed"));

    TaskState state = failed.getTaskStates().get("worker");
    assertThat(state.getRestarts().intValue()).isEqualTo(2);
    assertThat(state.getFailed()).isTrue();
    assertThat(state.getEvents())
        .extracting(e -> e.getType())
        .containsSubsequence(
            "Started", "Terminated", "Restarting", "Started", "Terminated", "Not Restarting");
    assertThat(Files.readAllLines(allocFile(failed.getId(), "starts"))).hasSize(3);
  }

  @Test
  void restartModeDelayKeepsRestartingAfterTheAttemptsAreUsed() throws Exception {
    String id = TestJobs.uniqueId("delay");
    Job job = TestJobs.job(id, "service", TestJobs.shell("worker", "exit 1"));
    job.getTaskGroups()
        .get(0)
        .setRestartPolicy(
            new RestartPolicy()
                .setAttempts(0)
                .setDelay(10_000_000L)
                .setInterval(100_000_000L)
                .setMode("delay"));
    client.getJobsApi().register(job);

    AllocationListStub restarted =
        TestJobs.awaitAllocation(
            client,
            id,
            a ->
                a.getTaskStates().containsKey("worker")
                    && a.getTaskStates().get("worker").getRestarts().intValue() >= 3);

    assertThat(restarted.getClientStatus()).isNotEqualTo("failed");
    assertThat(restarted.getTaskStates().get("worker").getFailed()).isFalse();
  }

  @Test
  void prestartTaskFinishesBeforeTheMainTaskStarts() throws Exception {
    String id = TestJobs.uniqueId("prestart");
    Job job =
        TestJobs.job(
            id,
            "batch",
            TestJobs.shell("check", "test -f \"$NOMAD_ALLOC_DIR/migrated\""),
            TestJobs.shell("migrate", "sleep 0.3; touch \"$NOMAD_ALLOC_DIR/migrated\"")
                .setLifecycle(
                    new com.hashicorp.nomad.apimodel.TaskLifecycle().setHook("prestart")));
    client.getJobsApi().register(job);

    AllocationListStub done =
        TestJobs.awaitAllocation(
            client,
            id,
            a -> a.getClientStatus().equals("complete") || a.getClientStatus().equals("failed"));

    assertThat(done.getClientStatus()).isEqualTo("complete");
    assertThat(done.getTaskStates().get("migrate").getFinishedAt())
        .isBeforeOrEqualTo(done.getTaskStates().get("check").getStartedAt());
  }

  @Test
  void missingCommandFailsTheTaskWithTheDriversMessage() throws Exception {
    String id = TestJobs.uniqueId("nocmd");
    Job job = TestJobs.job(id, "batch", TestJobs.shell("broken", "unused"));
    job.getTaskGroups()
        .get(0)
        .getTasks()
        .get(0)
        .setConfig(Map.of("command", "no-such-binary-here"));
    client.getJobsApi().register(job);

    AllocationListStub failed = TestJobs.awaitAllocation(client, id, TestJobs.status("failed"));

    assertThat(failed.getTaskStates().get("broken").getEvents())
        .anySatisfy(
            e -> {
              assertThat(e.getType()).isEqualTo("Driver Failure");
              assertThat(e.getDisplayMessage()).contains("executable file not found in $PATH");
            });
  }
}
