package dev.reviewapps.client.view;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.javasdk.ErrorResponseException;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadException;
import dev.reviewapps.model.naming.ResourceNames;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Finds an app's Nomad allocations by the job ids of {@link ResourceNames}: web and worker run in
 * the service job {@code <name>}; migrate and seed in one batch job per release, {@code
 * <name>.migrate.<release>} and {@code <name>.seed.<release>}.
 */
public final class NomadTasks {
  /** A release key is {@code ShortHash.of(image + commit, 10)}: ten hex digits. */
  private static final Pattern RELEASE = Pattern.compile("[0-9a-f]{10}");

  /** The task roles whose logs can be read. */
  public enum Role {
    web,
    worker,
    migrate,
    seed
  }

  private final NomadApiClient nomad;

  public NomadTasks(NomadApiClient nomad) {
    this.nomad = nomad;
  }

  /** The job ids that may hold {@code role}'s allocations. */
  public List<String> jobIds(String app, Role role) throws IOException, NomadException {
    return switch (role) {
      case web, worker -> List.of(ResourceNames.of(app).serviceJob());
      case migrate, seed -> {
        String prefix = ResourceNames.of(app).batchJobPrefix(role.name());
        List<String> ids = new ArrayList<>();
        nomad.getJobsApi().list(prefix).getValue().stream()
            .map(j -> j.getId())
            .filter(id -> RELEASE.matcher(id.substring(prefix.length())).matches())
            .forEach(ids::add);
        yield ids;
      }
    };
  }

  /** Every allocation of those jobs that runs {@code role}'s task group, newest first. */
  public List<AllocationListStub> allocations(String app, Role role)
      throws IOException, NomadException {
    List<AllocationListStub> found = new ArrayList<>();
    String group = role.name().toLowerCase(Locale.ROOT);
    for (String job : jobIds(app, role)) {
      for (AllocationListStub a : allocationsOf(job)) {
        if (group.equals(a.getTaskGroup())) {
          found.add(a);
        }
      }
    }
    found.sort(NEWEST_FIRST);
    return found;
  }

  /** A job's allocations; a job Nomad does not know has none. */
  public List<AllocationListStub> allocationsOf(String job) throws IOException, NomadException {
    try {
      return nomad.getJobsApi().allocations(job).getValue();
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return List.of();
      }
      throw e;
    }
  }

  public static final Comparator<AllocationListStub> NEWEST_FIRST =
      Comparator.comparing(
              (AllocationListStub a) ->
                  a.getCreateIndex() == null ? BigInteger.ZERO : a.getCreateIndex())
          .thenComparingLong(AllocationListStub::getCreateTime)
          .reversed();
}
