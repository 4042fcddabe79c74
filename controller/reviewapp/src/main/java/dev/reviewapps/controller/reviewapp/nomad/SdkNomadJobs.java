package dev.reviewapps.controller.reviewapp.nomad;

import com.hashicorp.nomad.apimodel.Allocation;
import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.apimodel.Deployment;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.JobListStub;
import com.hashicorp.nomad.apimodel.NetworkResource;
import com.hashicorp.nomad.apimodel.Port;
import com.hashicorp.nomad.javasdk.ErrorResponseException;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadException;
import dev.reviewapps.controller.reviewapp.ownership.OwnershipConflict;
import dev.reviewapps.model.naming.AppName;
import dev.reviewapps.tls.TlsFailure;
import java.io.IOException;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/** {@link NomadJobs} over nomad-sdk. */
public final class SdkNomadJobs implements NomadJobs {

  private final NomadApiClient nomad;
  private final String instance;

  /** Allocation addresses are those of port {@code http} for web and {@code redis} for Redis. */
  public SdkNomadJobs(NomadApiClient nomad) {
    this(nomad, ReviewAppJobs.DEFAULT_INSTANCE);
  }

  /**
   * Jobs of the installation {@code instance}: a job marked by another installation is a conflict,
   * one without an instance mark (made before the mark existed) is judged by its app mark alone.
   */
  public SdkNomadJobs(NomadApiClient nomad, String instance) {
    this.instance = instance;
    this.nomad = nomad;
  }

  @Override
  public Optional<RegisteredJob> registered(String app, String jobId) {
    try {
      Job job = nomad.getJobsApi().info(jobId).getValue();
      if (job == null) {
        return Optional.empty();
      }
      // A job someone else made under this ID is not "registered" for the app: it is a conflict.
      verifyMark(jobId, job, AppName.parse(app));
      if (Boolean.TRUE.equals(job.getStop())) {
        return Optional.empty();
      }
      Map<String, String> meta = new TreeMap<>();
      if (job.getMeta() != null) {
        meta.putAll(job.getMeta());
      }
      if (job.getTaskGroups() != null) {
        job.getTaskGroups().stream()
            .filter(g -> g.getMeta() != null)
            .forEach(g -> meta.putAll(g.getMeta()));
      }
      return Optional.of(
          new RegisteredJob(meta, job.getVersion() == null ? 0 : job.getVersion().longValue()));
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return Optional.empty();
      }
      throw failure("read job " + jobId, e);
    } catch (IOException | NomadException e) {
      throw failure("read job " + jobId, e);
    }
  }

  @Override
  public void register(Job job) {
    String owner = job.getMeta() == null ? null : job.getMeta().get(ReviewAppJobs.META_APP);
    checkOwner(job.getId(), owner == null ? Optional.empty() : AppName.parse(owner));
    // The SDK names the configured namespace on every call; the job says the same in its body.
    Optional.ofNullable(nomad.getConfig().getNamespace()).ifPresent(job::setNamespace);
    try {
      nomad.getJobsApi().register(job);
    } catch (IOException | NomadException e) {
      // The job carries DATABASE_URL: the message names only the job.
      throw failure("register job " + job.getId(), e);
    }
  }

  @Override
  public void purge(String app, String jobId) {
    deregister(app, jobId, true);
  }

  @Override
  public void stop(String app, String jobId) {
    deregister(app, jobId, false);
  }

  private void deregister(String app, String jobId, boolean purge) {
    String what = (purge ? "purge job " : "stop job ") + jobId;
    checkOwner(jobId, AppName.parse(app));
    try {
      nomad.getJobsApi().deregister(jobId, purge);
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() != 404) {
        throw failure(what, e);
      }
    } catch (IOException | NomadException e) {
      throw failure(what, e);
    }
  }

  /**
   * Refuses to touch job {@code jobId} when it exists (running, stopped or dead) without the Meta
   * mark of {@code owner}: another app's job, the controller's own, or any job review-apps did not
   * make. A job that does not exist is free.
   */
  private void checkOwner(String jobId, Optional<AppName> owner) {
    Job existing;
    try {
      existing = nomad.getJobsApi().info(jobId).getValue();
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return;
      }
      throw failure("read job " + jobId, e);
    } catch (IOException | NomadException e) {
      throw failure("read job " + jobId, e);
    }
    if (existing != null) {
      verifyMark(jobId, existing, owner);
    }
  }

  private void verifyMark(String jobId, Job existing, Optional<AppName> owner) {
    String mark =
        existing.getMeta() == null ? null : existing.getMeta().get(ReviewAppJobs.META_APP);
    if (!ours(existing)) {
      throw new OwnershipConflict(
          "Nomad job " + jobId,
          "belongs to another review-apps installation (Meta "
              + ReviewAppJobs.META_INSTANCE
              + " is not "
              + instance
              + ")");
    }
    if (owner.isEmpty() || mark == null || !mark.equals(owner.get().value())) {
      throw new OwnershipConflict(
          "Nomad job " + jobId,
          mark == null
              ? "exists without review-apps' mark (Meta " + ReviewAppJobs.META_APP + ")"
              : "belongs to review app " + (AppName.parse(mark).isPresent() ? mark : "(invalid)"));
    }
  }

  /** Made by this installation, or before installations were marked. */
  private boolean ours(Job job) {
    String mark = job.getMeta() == null ? null : job.getMeta().get(ReviewAppJobs.META_INSTANCE);
    return mark == null || mark.equals(instance);
  }

  @Override
  public int liveAllocations(String jobId) {
    return live(jobId, s -> true);
  }

  @Override
  public int liveAllocations(String jobId, String taskGroup) {
    return live(
        jobId, s -> taskGroup.equals(s.getTaskGroup()) && "run".equals(s.getDesiredStatus()));
  }

  private int live(String jobId, java.util.function.Predicate<AllocationListStub> which) {
    try {
      List<AllocationListStub> stubs = nomad.getJobsApi().allocations(jobId).getValue();
      return (int)
          (stubs == null ? List.<AllocationListStub>of() : stubs)
              .stream()
                  .filter(which)
                  .filter(
                      s ->
                          "pending".equals(s.getClientStatus())
                              || "running".equals(s.getClientStatus()))
                  .count();
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return 0;
      }
      throw failure("list allocations of " + jobId, e);
    } catch (IOException | NomadException e) {
      throw failure("list allocations of " + jobId, e);
    }
  }

  @Override
  public Optional<Rollout> latestDeployment(String jobId) {
    try {
      Deployment d = nomad.getJobsApi().latestDeployment(jobId).getValue();
      if (d == null) {
        return Optional.empty();
      }
      boolean awaiting =
          d.getTaskGroups() != null
              && d.getTaskGroups().values().stream()
                  .anyMatch(g -> g.getDesiredCanaries() > 0 && !g.getPromoted());
      return Optional.of(
          new Rollout(
              d.getId(),
              Optional.ofNullable(d.getJobVersion()).map(BigInteger::longValue).orElse(0L),
              String.valueOf(d.getStatus()),
              String.valueOf(d.getStatusDescription()),
              awaiting));
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return Optional.empty();
      }
      throw failure("read the deployment of " + jobId, e);
    } catch (IOException | NomadException e) {
      throw failure("read the deployment of " + jobId, e);
    }
  }

  @Override
  public void promote(String deploymentId) {
    try {
      nomad.getDeploymentsApi().promoteAll(deploymentId);
    } catch (IOException | NomadException e) {
      throw failure("promote deployment " + deploymentId, e);
    }
  }

  @Override
  public List<GroupAllocation> allocations(String jobId, String taskGroup) {
    try {
      List<AllocationListStub> stubs = nomad.getJobsApi().allocations(jobId).getValue();
      List<GroupAllocation> result = new ArrayList<>();
      for (AllocationListStub stub : stubs == null ? List.<AllocationListStub>of() : stubs) {
        if (!taskGroup.equals(stub.getTaskGroup())) {
          continue;
        }
        Optional<String> address = Optional.empty();
        if ("running".equals(stub.getClientStatus()) && "run".equals(stub.getDesiredStatus())) {
          // The list stub carries no network; the full allocation does.
          Allocation full = nomad.getAllocationsApi().info(stub.getId()).getValue();
          address = address(full, portLabel(taskGroup));
        }
        result.add(
            new GroupAllocation(
                stub.getId(),
                Optional.ofNullable(stub.getJobVersion()).map(BigInteger::longValue).orElse(0L),
                String.valueOf(stub.getClientStatus()),
                String.valueOf(stub.getDesiredStatus()),
                Optional.ofNullable(stub.getDeploymentStatus()).map(d -> d.getHealthy()),
                address));
      }
      result.sort(Comparator.comparingLong(GroupAllocation::jobVersion).reversed());
      return result;
    } catch (ErrorResponseException e) {
      if (e.getServerErrorCode() == 404) {
        return List.of();
      }
      throw failure("list allocations of " + jobId, e);
    } catch (IOException | NomadException e) {
      throw failure("list allocations of " + jobId, e);
    }
  }

  @Override
  public Map<String, String> reviewAppJobs() {
    try {
      Map<String, String> jobs = new TreeMap<>();
      List<JobListStub> stubs = nomad.getJobsApi().list().getValue();
      for (JobListStub stub : stubs == null ? List.<JobListStub>of() : stubs) {
        // The list stub carries no Meta; the job does.
        Job job = nomad.getJobsApi().info(stub.getId()).getValue();
        if (job != null
            && job.getMeta() != null
            && job.getMeta().get(ReviewAppJobs.META_APP) != null
            && ours(job)) {
          jobs.put(job.getId(), job.getMeta().get(ReviewAppJobs.META_APP));
        }
      }
      return jobs;
    } catch (IOException | NomadException e) {
      throw failure("list jobs", e);
    }
  }

  private static String portLabel(String taskGroup) {
    return TaskRole.REDIS.label().equals(taskGroup)
        ? ReviewAppJobs.REDIS_PORT
        : ReviewAppJobs.HTTP_PORT;
  }

  /**
   * {@code ip:port} of the labelled port, from the group network (or a task's, as older Nomads).
   */
  static Optional<String> address(Allocation allocation, String label) {
    if (allocation == null || allocation.getAllocatedResources() == null) {
      return Optional.empty();
    }
    List<NetworkResource> networks = new ArrayList<>();
    if (allocation.getAllocatedResources().getShared() != null
        && allocation.getAllocatedResources().getShared().getNetworks() != null) {
      networks.addAll(allocation.getAllocatedResources().getShared().getNetworks());
    }
    if (allocation.getAllocatedResources().getTasks() != null) {
      allocation
          .getAllocatedResources()
          .getTasks()
          .values()
          .forEach(
              t -> {
                if (t.getNetworks() != null) {
                  networks.addAll(t.getNetworks());
                }
              });
    }
    for (NetworkResource network : networks) {
      for (List<Port> ports :
          Arrays.asList(network.getDynamicPorts(), network.getReservedPorts())) {
        if (ports == null) {
          continue;
        }
        for (Port port : ports) {
          if (label.equals(port.getLabel()) && network.getIp() != null && port.getValue() > 0) {
            return Optional.of(network.getIp() + ":" + port.getValue());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static NomadCallFailed failure(String what, Exception cause) {
    return new NomadCallFailed(what, cause);
  }

  /**
   * A Nomad call failed. The cause is kept for its type and status only: its message is not copied,
   * and the request body (which holds DATABASE_URL) is never part of it.
   */
  public static final class NomadCallFailed extends RuntimeException {
    private static final long serialVersionUID = 1L;

    NomadCallFailed(String what, Exception cause) {
      super(
          "Nomad: could not "
              + what
              + TlsFailure.explain(cause, "NOMAD")
                  .map(why -> ": " + why)
                  .orElseGet(
                      () ->
                          " ("
                              + cause.getClass().getSimpleName()
                              + (cause instanceof ErrorResponseException r
                                  ? ", HTTP " + r.getServerErrorCode()
                                  : "")
                              + ")"));
    }
  }
}
