package dev.reviewapps.devstack.nomad;

import static org.awaitility.Awaitility.await;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.QueryOptions;
import com.hashicorp.nomad.javasdk.ServerQueryResponse;
import com.hashicorp.nomad.javasdk.WaitStrategy;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Figures for the README, through nomad-sdk: register-to-running of a one-task raw_exec job,
 * register-to-complete of a batch job, how soon a blocking allocation query wakes after a
 * deregister, and a plain allocation read.
 */
@Tag("bench")
class NomadStandInBench {
  private static final int ROUNDS = 30;
  private static final Duration POLL = Duration.ofMillis(2);

  @Test
  void measure() throws Exception {
    try (NomadStandIn nomad = NomadStandIn.start(NomadConfig.defaults());
        NomadApiClient client = new NomadApiClient(nomad.baseUrl())) {
      List<Double> toRunning = new ArrayList<>();
      List<Double> toComplete = new ArrayList<>();
      List<Double> wake = new ArrayList<>();
      List<Double> read = new ArrayList<>();
      for (int i = 0; i < ROUNDS + 3; i++) {
        boolean warmup = i < 3;
        String service = "bench-svc-" + i;
        long start = System.nanoTime();
        client
            .getJobsApi()
            .register(TestJobs.job(service, "service", TestJobs.shell("t", "exec sleep 60")));
        AllocationListStub running =
            TestJobs.awaitAllocation(client, service, TestJobs.status("running"), POLL);
        double registerToRunning = millis(start);

        start = System.nanoTime();
        for (int r = 0; r < 10; r++) {
          client.getAllocationsApi().info(running.getId());
        }
        double oneRead = millis(start) / 10;

        ServerQueryResponse<List<AllocationListStub>> before =
            client.getJobsApi().allocations(service);
        CompletableFuture<Long> woken =
            CompletableFuture.supplyAsync(
                () -> {
                  try {
                    client
                        .getJobsApi()
                        .allocations(
                            service,
                            new QueryOptions<List<AllocationListStub>>()
                                .setIndex(before.getIndex())
                                .setWaitStrategy(WaitStrategy.waitForSeconds(60)));
                    return System.nanoTime();
                  } catch (Exception e) {
                    throw new IllegalStateException(e);
                  }
                });
        // Let the query park before the change that should wake it.
        await()
            .atMost(Duration.ofSeconds(10))
            .pollInterval(Duration.ofMillis(1))
            .until(() -> nomad.parkedQueries() > 0);
        long deregistered = System.nanoTime();
        client.getJobsApi().deregister(service, true);
        double wakeMs = (woken.get() - deregistered) / 1e6;

        String batch = "bench-batch-" + i;
        start = System.nanoTime();
        client.getJobsApi().register(TestJobs.job(batch, "batch", TestJobs.shell("t", "exit 0")));
        TestJobs.awaitAllocation(client, batch, TestJobs.status("complete"), POLL);
        double registerToComplete = millis(start);
        client.getJobsApi().deregister(batch, true);

        if (!warmup) {
          toRunning.add(registerToRunning);
          toComplete.add(registerToComplete);
          wake.add(wakeMs);
          read.add(oneRead);
        }
      }
      print("nomad.register_to_running", toRunning);
      print("nomad.register_to_batch_complete", toComplete);
      print("nomad.blocking_query_wake", wake);
      print("nomad.allocation_read", read);
    }
  }

  private static double millis(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e6;
  }

  private static void print(String name, List<Double> samples) {
    List<Double> sorted = new ArrayList<>(samples);
    Collections.sort(sorted);
    System.out.printf(
        "%s p50 = %.1f ms, p95 = %.1f ms (n = %d)%n",
        name,
        sorted.get(sorted.size() / 2),
        sorted.get((int) (sorted.size() * 0.95)),
        sorted.size());
  }
}
