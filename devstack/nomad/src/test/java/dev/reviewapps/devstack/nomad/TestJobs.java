package dev.reviewapps.devstack.nomad;

import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.NetworkResource;
import com.hashicorp.nomad.apimodel.Port;
import com.hashicorp.nomad.apimodel.Resources;
import com.hashicorp.nomad.apimodel.RestartPolicy;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.function.Predicate;

/** Small nomad-sdk jobs for tests: one group, raw_exec tasks, unique IDs. */
final class TestJobs {
  private TestJobs() {}

  static String uniqueId(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** A raw_exec task running {@code sh -c script}. */
  static Task shell(String name, String script) {
    return new Task()
        .setName(name)
        .setDriver("raw_exec")
        .setConfig(Map.of("command", "/bin/sh", "args", List.of("-c", script)))
        .setResources(new Resources().setCpu(100).setMemoryMb(64))
        .setKillTimeout(2_000_000_000L);
  }

  /** A job of the given type with one group holding the tasks; restarts off unless set later. */
  static Job job(String id, String type, Task... tasks) {
    TaskGroup group =
        new TaskGroup()
            .setName("main")
            .setCount(1)
            .setTasks(new ArrayList<>(List.of(tasks)))
            .setRestartPolicy(
                new RestartPolicy()
                    .setAttempts(0)
                    .setMode("fail")
                    .setDelay(1_000_000_000L)
                    .setInterval(60_000_000_000L));
    return new Job()
        .setId(id)
        .setName(id)
        .setType(type)
        .setDatacenters(List.of("dc1"))
        .setTaskGroups(new ArrayList<>(List.of(group)));
  }

  /**
   * A service job whose task first runs {@code setup} in its task directory, then serves that
   * directory over HTTP on its dynamic port {@code http}.
   */
  static Job staticSite(String id, String setup) {
    return withDynamicPort(
        job(
            id,
            "service",
            shell(
                "web",
                "cd \"$NOMAD_TASK_DIR\" && "
                    + setup
                    + " && exec python3 -m http.server \"$NOMAD_PORT_http\" --bind \"$NOMAD_IP_http\"")),
        "http");
  }

  /** Waits until the job has an allocation that matches, and returns it. */
  static AllocationListStub awaitAllocation(
      NomadApiClient client, String jobId, Predicate<AllocationListStub> matching) {
    return awaitAllocation(client, jobId, matching, Duration.ofMillis(100));
  }

  /** As above, polling at the given interval (benchmarks poll often so as to measure closely). */
  static AllocationListStub awaitAllocation(
      NomadApiClient client,
      String jobId,
      Predicate<AllocationListStub> matching,
      Duration pollInterval) {
    return await()
        .atMost(Duration.ofSeconds(30))
        .pollInterval(pollInterval)
        .until(
            () ->
                client.getJobsApi().allocations(jobId).getValue().stream()
                    .filter(matching)
                    .findFirst(),
            Optional::isPresent)
        .orElseThrow();
  }

  /** Allocations in this client status. */
  static Predicate<AllocationListStub> status(String clientStatus) {
    return a -> a.getClientStatus().equals(clientStatus);
  }

  /** Gives the job's group a dynamic port with this label. */
  static Job withDynamicPort(Job job, String label) {
    job.getTaskGroups()
        .get(0)
        .setNetworks(
            List.of(new NetworkResource().setDynamicPorts(List.of(new Port().setLabel(label)))));
    return job;
  }
}
