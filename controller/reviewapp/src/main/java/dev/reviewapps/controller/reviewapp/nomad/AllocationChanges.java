package dev.reviewapps.controller.reviewapp.nomad;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadException;
import com.hashicorp.nomad.javasdk.QueryOptions;
import com.hashicorp.nomad.javasdk.ServerQueryResponse;
import com.hashicorp.nomad.javasdk.WaitStrategy;
import dev.reviewapps.controller.engine.ChangeSource;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.model.naming.ResourceNames;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Nomad's allocations as a {@link ChangeSource}: a blocking query on {@code GET /v1/allocations}
 * ({@code ?index=&wait=}, as Nomad documents its blocking queries), each allocation versioned by
 * its {@code ModifyIndex} and naming the app its job belongs to ({@link ResourceNames#ownerOfJob}).
 * An allocation that starts, turns healthy or dies queues its app at once, so that the redis, web
 * and release steps go on when Nomad says so rather than at their next recheck; the recheck stays
 * as the fallback.
 *
 * <p>It reads with a client of its own, outside the {@code nomad} circuit breaker: a long poll
 * holds a connection for its whole wait, and its failures (it backs off by itself) must not open
 * the breaker of the calls that do the work. An allocation of a job that only looks like an app's
 * (another installation's, another team's) queues a name whose reconcile finds nothing to do.
 */
public final class AllocationChanges implements ChangeSource {
  private final NomadApiClient nomad;

  public AllocationChanges(NomadApiClient nomad) {
    this.nomad = Objects.requireNonNull(nomad, "nomad");
  }

  @Override
  public String describe() {
    return "nomad allocations";
  }

  @Override
  public Listing list(long index, Duration wait) {
    QueryOptions<List<AllocationListStub>> query =
        new QueryOptions<List<AllocationListStub>>()
            .setIndex(BigInteger.valueOf(index))
            .setWaitStrategy(WaitStrategy.waitForMilliseconds(wait.toMillis()));
    try {
      ServerQueryResponse<List<AllocationListStub>> answer = nomad.getAllocationsApi().list(query);
      Map<String, Long> versions = new HashMap<>();
      for (AllocationListStub a : answer.getValue()) {
        versions.put(item(a.getJobId(), a.getId()), a.getModifyIndex().longValue());
      }
      return new Listing(answer.getIndex().longValue(), versions);
    } catch (IOException e) {
      throw new UncheckedIOException("Nomad cannot be reached: " + e.getMessage(), e);
    } catch (NomadException e) {
      // The message names the endpoint and Nomad's answer; allocations carry no secret.
      throw new IllegalStateException("Nomad refused the allocations list: " + e.getMessage(), e);
    }
  }

  /** {@code <job>/<allocation>}: allocation IDs are UUIDs, so the last slash splits. */
  static String item(String jobId, String allocationId) {
    return jobId + "/" + allocationId;
  }

  @Override
  public Optional<String> nameOf(String item) {
    int slash = item.lastIndexOf('/');
    return slash < 0
        ? Optional.empty()
        : ResourceNames.ownerOfJob(item.substring(0, slash)).map(AppName::value);
  }
}
