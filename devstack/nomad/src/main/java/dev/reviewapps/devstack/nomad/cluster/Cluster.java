package dev.reviewapps.devstack.nomad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.http.ParkedWaiters;
import dev.reviewapps.devstack.nomad.check.CheckResult;
import dev.reviewapps.devstack.nomad.check.HttpChecks;
import dev.reviewapps.devstack.nomad.exec.AllocDir;
import dev.reviewapps.devstack.nomad.exec.AllocLaunch;
import dev.reviewapps.devstack.nomad.exec.AllocRunner;
import dev.reviewapps.devstack.nomad.exec.ImageCommand;
import dev.reviewapps.devstack.nomad.exec.TaskState;
import dev.reviewapps.devstack.nomad.job.GroupSpec;
import dev.reviewapps.devstack.nomad.job.JobParser;
import dev.reviewapps.devstack.nomad.job.JobSpec;
import dev.reviewapps.devstack.nomad.job.PortSpec;
import dev.reviewapps.devstack.nomad.job.TaskSpec;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A one-node Nomad cluster: the state store and the scheduler. Every change raises one index, as
 * Raft's does, and wakes blocking queries. Processes are started and stopped outside the lock.
 */
public final class Cluster implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Cluster.class);

  /** The answer to a job registration or deregistration. */
  public record EvalOutcome(String evalId, long evalCreateIndex, long jobModifyIndex, long index) {}

  /** A registration that {@code EnforceIndex} refused. */
  public static final class IndexConflict extends Exception {
    private static final long serialVersionUID = 1L;

    IndexConflict(String message) {
      super(message);
    }
  }

  final NodeConfig node;
  private final Path dataDir;
  private final List<ImageCommand> images;
  private final ScheduledExecutorService timer;
  private final ParkedWaiters<Long> waiters = new ParkedWaiters<>("nomad");
  private final Map<String, HttpChecks> runningChecks = new HashMap<>();

  long index = 1;
  long jobsIndex = 1;
  long allocsIndex = 1;
  long evalsIndex = 1;
  final long nodeIndex = 1;
  final Map<String, JobRecord> jobs = new LinkedHashMap<>();
  final Map<String, AllocRecord> allocs = new LinkedHashMap<>();
  final Map<String, EvalRecord> evals = new LinkedHashMap<>();
  final Map<String, DeploymentRecord> deployments = new LinkedHashMap<>();
  long deploymentsIndex = 1;
  private boolean closed;

  public Cluster(
      NodeConfig node, Path dataDir, List<ImageCommand> images, ScheduledExecutorService timer) {
    this.node = node;
    this.dataDir = dataDir;
    this.images = List.copyOf(images);
    this.timer = timer;
  }

  public NodeConfig node() {
    return node;
  }

  /** Whether docker images are mapped to commands, which makes the node offer the driver. */
  boolean imagesMapped() {
    return !images.isEmpty();
  }

  /** The current index. */
  public synchronized long index() {
    return index;
  }

  /**
   * Completes when anything changes or {@code wait} passes. Register before re-reading, as {@link
   * ParkedWaiters#await} explains.
   */
  public CompletableFuture<Boolean> awaitChange(Duration wait) {
    return waiters.await(i -> true, wait);
  }

  /** Whether {@link #close} has begun: blocking queries answer at once from then on. */
  public synchronized boolean closing() {
    return closed;
  }

  /** How many blocking queries wait for a change now. */
  public int parkedQueries() {
    return waiters.parked();
  }

  /** Runs a read under the lock, so it sees one consistent state. */
  public synchronized <T> T read(java.util.function.Function<Cluster, T> query) {
    return query.apply(this);
  }

  // ---------------------------------------------------------------------------------------------
  // Writes

  /**
   * Registers a job (a new version if it changed) and evaluates it.
   *
   * @param enforceIndex when present, the job modify index the caller expects (0: must not exist)
   */
  public EvalOutcome register(JobParser.Parsed parsed, Optional<Long> enforceIndex)
      throws IndexConflict {
    List<Runnable> effects = new ArrayList<>();
    EvalOutcome outcome;
    synchronized (this) {
      String id = parsed.spec().id();
      JobRecord job = jobs.get(id);
      if (enforceIndex.isPresent()) {
        long expected = enforceIndex.get();
        long actual = job == null ? 0 : job.current().jobModifyIndex();
        if (expected == 0 && job != null) {
          throw new IndexConflict("Enforcing job modify index 0: job already exists");
        }
        if (expected != 0 && expected != actual) {
          throw new IndexConflict(
              "Enforcing job modify index "
                  + expected
                  + ": job exists with conflicting job modify index: "
                  + actual);
        }
      }
      long now = nowNanos();
      index++;
      jobsIndex = index;
      if (job == null) {
        job = new JobRecord(id, index);
        jobs.put(id, job);
      }
      boolean changed =
          job.versions.isEmpty()
              || job.stopped
              || !comparable(job.current().submitted()).equals(comparable(parsed.canonical()));
      if (changed) {
        int number = job.versions.isEmpty() ? 0 : job.current().number() + 1;
        job.versions.add(
            new JobRecord.Version(number, parsed.canonical(), parsed.spec(), now, index));
        // Nomad keeps six versions of a job.
        while (job.versions.size() > 6) {
          job.versions.remove(0);
        }
      }
      // A job registered with Stop set is registered stopped, as `nomad job stop` without purge
      // does.
      job.stopped = parsed.canonical().path("Stop").asBoolean(false);
      job.modifyIndex = index;
      if (changed) {
        startDeployment(job);
      }
      EvalRecord eval = newEval(job, "job-register", now);
      schedule(job, eval, effects);
      unblock(effects);
      outcome = new EvalOutcome(eval.id, eval.createIndex, job.current().jobModifyIndex(), index);
    }
    finish(effects);
    return outcome;
  }

  /**
   * Stops a job (marks it stopped, or removes it with {@code purge}) and its allocations. Like
   * Nomad, stopping a job that does not exist succeeds and creates an evaluation.
   */
  public EvalOutcome deregister(String jobId, boolean purge) {
    List<Runnable> effects = new ArrayList<>();
    EvalOutcome outcome;
    synchronized (this) {
      index++;
      JobRecord job = jobs.get(jobId);
      if (job == null) {
        EvalRecord eval =
            new EvalRecord(
                UUID.randomUUID().toString(),
                jobId,
                "service",
                50,
                "job-deregister",
                0,
                index,
                nowNanos());
        eval.status = "complete";
        evals.put(eval.id, eval);
        evalsIndex = index;
        outcome = new EvalOutcome(eval.id, eval.createIndex, 0, index);
      } else {
        jobsIndex = index;
        job.stopped = true;
        job.modifyIndex = index;
        endDeployments(job.id, "cancelled", "Cancelled because job is stopped");
        EvalRecord eval = newEval(job, "job-deregister", nowNanos());
        schedule(job, eval, effects);
        unblock(effects);
        if (purge) {
          jobs.remove(jobId);
        }
        outcome = new EvalOutcome(eval.id, eval.createIndex, job.modifyIndex, index);
      }
    }
    finish(effects);
    return outcome;
  }

  /** Forces a new evaluation of a job ({@code /v1/job/:id/evaluate}). */
  public Optional<EvalOutcome> evaluate(String jobId) {
    List<Runnable> effects = new ArrayList<>();
    EvalOutcome outcome;
    synchronized (this) {
      JobRecord job = jobs.get(jobId);
      if (job == null) {
        return Optional.empty();
      }
      index++;
      EvalRecord eval = newEval(job, "job-eval", nowNanos());
      schedule(job, eval, effects);
      outcome = new EvalOutcome(eval.id, eval.createIndex, job.current().jobModifyIndex(), index);
    }
    finish(effects);
    return Optional.of(outcome);
  }

  /** Stops one allocation ({@code /v1/allocation/:id/stop}); the scheduler places a new one. */
  public Optional<EvalOutcome> stopAllocation(String allocId) {
    List<Runnable> effects = new ArrayList<>();
    EvalOutcome outcome;
    synchronized (this) {
      AllocRecord alloc = allocs.get(allocId);
      if (alloc == null) {
        return Optional.empty();
      }
      index++;
      stop(alloc, "alloc is being migrated", effects);
      JobRecord job = jobs.get(alloc.jobId);
      if (job != null && !job.stopped) {
        EvalRecord eval = newEval(job, "alloc-stop", nowNanos());
        schedule(job, eval, effects);
        outcome = new EvalOutcome(eval.id, eval.createIndex, job.current().jobModifyIndex(), index);
      } else {
        outcome = new EvalOutcome("", 0, 0, index);
      }
    }
    finish(effects);
    return Optional.of(outcome);
  }

  /** A job without the fields the server sets, for telling a changed job from a repeated one. */
  private static JsonNode comparable(ObjectNode job) {
    ObjectNode copy = job.deepCopy();
    for (String field :
        List.of(
            "Status",
            "StatusDescription",
            "Version",
            "SubmitTime",
            "CreateIndex",
            "ModifyIndex",
            "JobModifyIndex",
            "Stable",
            "Stop")) {
      copy.remove(field);
    }
    return copy;
  }

  private EvalRecord newEval(JobRecord job, String trigger, long now) {
    EvalRecord eval =
        new EvalRecord(
            UUID.randomUUID().toString(),
            job.id,
            job.spec().type(),
            job.spec().priority(),
            trigger,
            job.current().jobModifyIndex(),
            index,
            now);
    evals.put(eval.id, eval);
    evalsIndex = index;
    return eval;
  }

  // ---------------------------------------------------------------------------------------------
  // Scheduling

  /** Reconciles a job's allocations with its current version; records the result on the eval. */
  private void schedule(JobRecord job, EvalRecord eval, List<Runnable> effects) {
    eval.failedGroups.clear();
    eval.queued.clear();
    List<AllocRecord> jobAllocs =
        allocs.values().stream().filter(a -> a.jobId.equals(job.id)).toList();
    JobRecord.Version current = job.current();
    for (AllocRecord alloc : jobAllocs) {
      if (!alloc.desiredStatus.equals("run")) {
        continue;
      }
      if (job.stopped) {
        stop(alloc, "alloc not needed due to job update", effects);
      } else if (current.spec().group(alloc.group).isEmpty()) {
        stop(alloc, "alloc not needed due to job update", effects);
      } else if (alloc.jobVersion.number() != current.number()) {
        if (destructive(alloc.jobVersion, current, alloc.group)) {
          if (heldFor(job, alloc.group).isPresent() && !unpromotedCanary(alloc)) {
            // Canaries first: the old allocation serves until the deployment is promoted. A
            // canary of an earlier deployment that was never promoted served nothing: it goes.
            continue;
          }
          stop(alloc, "alloc is being updated due to job update", effects);
        } else {
          // Nomad updates in place when only the count or other groups changed.
          alloc.jobVersion = current;
          touch(alloc);
        }
      }
    }
    if (!job.stopped) {
      for (GroupSpec group : current.spec().groups()) {
        placeGroup(job, group, eval, effects);
        placeCanaries(job, group, eval, effects);
      }
    }
    boolean blocked = !eval.failedGroups.isEmpty();
    if (blocked && !eval.status.equals("blocked")) {
      Optional<EvalRecord> existing =
          evals.values().stream()
              .filter(e -> e.jobId.equals(job.id) && e.status.equals("blocked") && e != eval)
              .findFirst();
      EvalRecord blockedEval =
          existing.orElseGet(
              () -> {
                EvalRecord b = newEval(job, "queued-allocs", nowNanos());
                b.status = "blocked";
                b.statusDescription = "created due to placement conflicts";
                b.previousEval = Optional.of(eval.id);
                return b;
              });
      blockedEval.failedGroups.putAll(eval.failedGroups);
      blockedEval.queued.putAll(eval.queued);
      blockedEval.modifyIndex = index;
      eval.blockedEval = Optional.of(blockedEval.id);
      eval.status = "complete";
    } else if (!blocked) {
      eval.status = "complete";
      // Anything that waited for this job is now placed or no longer wanted.
      evals.values().stream()
          .filter(e -> e.jobId.equals(job.id) && e.status.equals("blocked") && e != eval)
          .forEach(
              e -> {
                e.status = "canceled";
                e.statusDescription = "evaluation is no longer blocked";
                e.modifyIndex = index;
              });
    }
    eval.modifyIndex = index;
    eval.modifyTimeNanos = nowNanos();
    evalsIndex = index;
  }

  private static boolean destructive(JobRecord.Version from, JobRecord.Version to, String group) {
    JsonNode before = groupNode(from.submitted(), group);
    JsonNode after = groupNode(to.submitted(), group);
    return !before.equals(after)
        || !from.submitted().path("Meta").equals(to.submitted().path("Meta"))
        || !from.spec().name().equals(to.spec().name());
  }

  private static JsonNode groupNode(ObjectNode job, String group) {
    for (JsonNode g : job.path("TaskGroups")) {
      if (g.path("Name").asText().equals(group)) {
        ObjectNode copy = ((ObjectNode) g).deepCopy();
        copy.remove("Count");
        return copy;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private void placeGroup(JobRecord job, GroupSpec group, EvalRecord eval, List<Runnable> effects) {
    Set<Integer> taken = new HashSet<>();
    for (AllocRecord a : allocs.values()) {
      if (!a.jobId.equals(job.id) || !a.group.equals(group.name())) {
        continue;
      }
      if (a.desiredStatus.equals("run")) {
        if (a.index >= group.count()) {
          stop(a, "alloc not needed due to job update", effects);
        } else {
          taken.add(a.index);
        }
      }
    }
    for (int i = 0; i < group.count(); i++) {
      if (taken.contains(i)) {
        continue;
      }
      Optional<PlacementFailure> failure = place(job, group, i, eval, effects);
      if (failure.isPresent()) {
        eval.failedGroups.merge(group.name(), failure.get(), (old, n) -> old.coalesced());
        eval.queued.merge(group.name(), 1, Integer::sum);
      }
    }
  }

  // ---------------------------------------------------------------------------------------------
  // Deployments: a changed job version with update blocks gets one; a group with canaries keeps
  // its old allocations until the deployment is promoted.

  private void startDeployment(JobRecord job) {
    endDeployments(job.id, "cancelled", "Cancelled due to newer version of job");
    JobRecord.Version current = job.current();
    if (job.stopped || current.spec().groups().stream().allMatch(g -> g.update().isEmpty())) {
      return;
    }
    DeploymentRecord d =
        new DeploymentRecord(
            UUID.randomUUID().toString(),
            job.id,
            current.number(),
            current.jobModifyIndex(),
            job.createIndex,
            index);
    for (GroupSpec g : current.spec().groups()) {
      if (g.update().isEmpty()) {
        continue;
      }
      // Canaries only replace something: a first version (or a group with nothing running) is
      // placed at once, as Nomad does.
      boolean replacing =
          allocs.values().stream()
              .anyMatch(
                  a ->
                      a.jobId.equals(job.id)
                          && a.group.equals(g.name())
                          && a.desiredStatus.equals("run")
                          && !a.clientTerminal()
                          && destructive(a.jobVersion, current, g.name()));
      // A group scaled to zero has nothing to try out: its old allocations just stop.
      int canaries = replacing && g.count() > 0 ? g.canaries() : 0;
      d.groups.put(
          g.name(),
          new DeploymentRecord.GroupState(canaries, g.count(), g.update().get().autoPromote()));
    }
    if (!d.needsPromotion()) {
      d.statusDescription = "Deployment is running";
    }
    deployments.put(d.id, d);
    deploymentsIndex = index;
  }

  private void endDeployments(String jobId, String status, String description) {
    for (DeploymentRecord d : deployments.values()) {
      if (d.jobId.equals(jobId) && d.active()) {
        d.status = status;
        d.statusDescription = description;
        d.modifyIndex = index;
        deploymentsIndex = index;
      }
    }
  }

  /** The job's running deployment of its current version. */
  private Optional<DeploymentRecord> activeDeployment(JobRecord job) {
    return deployments.values().stream()
        .filter(d -> d.jobId.equals(job.id) && d.active())
        .filter(d -> d.jobVersion == job.current().number())
        .findFirst();
  }

  /** The deployment whose unpromoted canaries hold the group's old allocations, if any. */
  private Optional<DeploymentRecord> heldFor(JobRecord job, String group) {
    return activeDeployment(job)
        .filter(d -> d.groups.containsKey(group) && !d.groups.get(group).released());
  }

  private void placeCanaries(
      JobRecord job, GroupSpec group, EvalRecord eval, List<Runnable> effects) {
    Optional<DeploymentRecord> held = heldFor(job, group.name());
    if (held.isEmpty()) {
      return;
    }
    DeploymentRecord.GroupState state = held.get().groups.get(group.name());
    long placed =
        allocs.values().stream()
            .filter(a -> a.deploymentId.equals(held.get().id) && a.group.equals(group.name()))
            .filter(a -> a.canary && a.desiredStatus.equals("run"))
            .count();
    for (int i = (int) placed; i < state.desiredCanaries; i++) {
      Optional<PlacementFailure> failure = place(job, group, i, eval, effects);
      if (failure.isPresent()) {
        eval.failedGroups.merge(group.name(), failure.get(), (old, n) -> old.coalesced());
        eval.queued.merge(group.name(), 1, Integer::sum);
      }
    }
  }

  /** Thrown when a promotion is refused, with Nomad's reason. */
  public static final class PromotionRefused extends Exception {
    PromotionRefused(String message) {
      super(message);
    }
  }

  /**
   * Promotes the canaries of a deployment ({@code /v1/deployment/promote/:id}): every group with
   * canaries, or the named ones. Refused while a group's canaries are not all healthy, and for a
   * deployment that is no longer running.
   */
  public Optional<EvalOutcome> promote(String deploymentId, Optional<List<String>> groups)
      throws PromotionRefused {
    List<Runnable> effects = new ArrayList<>();
    EvalOutcome outcome;
    synchronized (this) {
      DeploymentRecord d = deployments.get(deploymentId);
      if (d == null) {
        return Optional.empty();
      }
      if (!d.active()) {
        throw new PromotionRefused("can't promote terminal deployment");
      }
      List<String> names =
          groups.orElseGet(
              () ->
                  d.groups.entrySet().stream()
                      .filter(g -> g.getValue().desiredCanaries > 0)
                      .map(Map.Entry::getKey)
                      .toList());
      for (String name : names) {
        DeploymentRecord.GroupState state = d.groups.get(name);
        if (state == null) {
          throw new PromotionRefused("Deployment does not include task group \"" + name + "\"");
        }
        long healthy = healthyCanaries(d, name);
        if (healthy < state.desiredCanaries) {
          throw new PromotionRefused(
              "Task group \""
                  + name
                  + "\" has "
                  + healthy
                  + "/"
                  + state.desiredCanaries
                  + " healthy allocations");
        }
      }
      index++;
      names.forEach(n -> d.groups.get(n).promoted = true);
      d.statusDescription = "Deployment is running";
      d.modifyIndex = index;
      deploymentsIndex = index;
      JobRecord job = jobs.get(d.jobId);
      EvalRecord eval = newEval(job, "deployment-watcher", nowNanos());
      schedule(job, eval, effects);
      progress(d);
      outcome = new EvalOutcome(eval.id, eval.createIndex, job.current().jobModifyIndex(), index);
    }
    finish(effects);
    return Optional.of(outcome);
  }

  private boolean unpromotedCanary(AllocRecord alloc) {
    DeploymentRecord d = deployments.get(alloc.deploymentId);
    return alloc.canary
        && d != null
        && d.groups.containsKey(alloc.group)
        && !d.groups.get(alloc.group).promoted;
  }

  private long healthyCanaries(DeploymentRecord d, String group) {
    return allocs.values().stream()
        .filter(a -> a.deploymentId.equals(d.id) && a.group.equals(group) && a.canary)
        .filter(a -> a.healthy.orElse(false))
        .count();
  }

  /**
   * A deployment after a health change: failed by an unhealthy allocation, successful once every
   * group is promoted (or had no canaries) and has its count of healthy allocations.
   */
  private void progress(DeploymentRecord d) {
    if (!d.active()) {
      return;
    }
    boolean unhealthy =
        allocs.values().stream()
            .anyMatch(a -> a.deploymentId.equals(d.id) && a.healthy.equals(Optional.of(false)));
    if (unhealthy) {
      d.status = "failed";
      d.statusDescription = "Failed due to unhealthy allocations";
    } else if (!d.needsPromotion()
        && d.groups.entrySet().stream()
            .allMatch(
                g ->
                    allocs.values().stream()
                            .filter(a -> a.jobId.equals(d.jobId) && a.group.equals(g.getKey()))
                            .filter(a -> a.jobVersion.number() == d.jobVersion)
                            .filter(a -> a.desiredStatus.equals("run"))
                            .filter(a -> a.healthy.orElse(false))
                            .count()
                        >= g.getValue().desiredTotal)) {
      d.status = "successful";
      d.statusDescription = "Deployment completed successfully";
    } else {
      return;
    }
    d.modifyIndex = index;
    deploymentsIndex = index;
  }

  private void healthRecheck(String allocId) {
    synchronized (this) {
      AllocRecord alloc = allocs.get(allocId);
      if (alloc == null || alloc.healthy.isPresent()) {
        return;
      }
      index++;
      updateHealth(alloc);
      touch(alloc);
    }
    waiters.changedAll();
  }

  /** An allocation of a deployment that is not healthy by the group's healthy deadline is not. */
  private void healthDeadline(String allocId) {
    synchronized (this) {
      AllocRecord alloc = allocs.get(allocId);
      if (alloc == null || alloc.healthy.isPresent() || !alloc.desiredStatus.equals("run")) {
        return;
      }
      index++;
      alloc.healthy = Optional.of(false);
      alloc.healthModifyIndex = index;
      touch(alloc);
      Optional.ofNullable(deployments.get(alloc.deploymentId)).ifPresent(this::progress);
    }
    waiters.changedAll();
  }

  private Optional<PlacementFailure> place(
      JobRecord job, GroupSpec group, int allocIndex, EvalRecord eval, List<Runnable> effects) {
    JobSpec spec = job.spec();
    if (closed) {
      return Optional.of(new PlacementFailure(0, 0, Map.of(), 0, Map.of(), 0));
    }
    boolean inDatacenter =
        spec.datacenters().stream().anyMatch(dc -> globMatches(dc, node.datacenter()));
    if (!inDatacenter) {
      return Optional.of(new PlacementFailure(0, 0, Map.of(), 0, Map.of(), 0));
    }
    for (TaskSpec task : group.tasks()) {
      if (!driverAvailable(task)) {
        return Optional.of(
            new PlacementFailure(1, 1, Map.of("missing drivers", 1), 0, Map.of(), 0));
      }
    }
    int usedCpu = 0;
    int usedMemory = 0;
    Set<Integer> usedPorts = new HashSet<>();
    for (AllocRecord a : allocs.values()) {
      if (a.holdsResources()) {
        usedCpu += a.groupSpec().cpuMhz();
        usedMemory += a.groupSpec().memoryMb();
      }
      // A port stays taken until its process is gone, so a replacement never races it.
      if (!a.clientTerminal()) {
        usedPorts.addAll(a.ports.values());
      }
    }
    if (usedCpu + group.cpuMhz() > node.cpuMhz()) {
      return Optional.of(exhausted("cpu"));
    }
    if (usedMemory + group.memoryMb() > node.memoryMb()) {
      return Optional.of(exhausted("memory"));
    }
    Map<String, Integer> ports = new LinkedHashMap<>();
    for (PortSpec port : group.allPorts()) {
      if (!port.dynamic()) {
        if (usedPorts.contains(port.staticValue())) {
          return Optional.of(
              exhausted(
                  "network: reserved port collision " + port.label() + "=" + port.staticValue()));
        }
        ports.put(port.label(), port.staticValue());
        usedPorts.add(port.staticValue());
      }
    }
    for (PortSpec port : group.allPorts()) {
      if (port.dynamic()) {
        Optional<Integer> value = freePort(usedPorts);
        if (value.isEmpty()) {
          return Optional.of(exhausted("network: dynamic port selection failed"));
        }
        ports.put(port.label(), value.get());
        usedPorts.add(value.get());
      }
    }
    String id = UUID.randomUUID().toString();
    String name = job.id + "." + group.name() + "[" + allocIndex + "]";
    AllocRecord alloc =
        new AllocRecord(
            id,
            eval.id,
            name,
            allocIndex,
            job.id,
            group.name(),
            job.current(),
            ports,
            index,
            nowNanos());
    allocs.put(id, alloc);
    allocsIndex = index;
    Optional<DeploymentRecord> deployment =
        activeDeployment(job).filter(d -> d.groups.containsKey(group.name()));
    if (deployment.isPresent()) {
      DeploymentRecord.GroupState state = deployment.get().groups.get(group.name());
      alloc.deploymentId = deployment.get().id;
      alloc.canary = !state.released();
      if (alloc.canary) {
        state.placedCanaries.add(id);
      }
      deployment.get().modifyIndex = index;
      deploymentsIndex = index;
      Duration deadline = group.update().orElseThrow().healthyDeadline();
      effects.add(
          () ->
              timer.schedule(() -> healthDeadline(id), deadline.toMillis(), TimeUnit.MILLISECONDS));
    }
    AllocLaunch launch =
        new AllocLaunch(
            id,
            name,
            allocIndex,
            spec,
            group,
            ports,
            new AllocDir(dataDir.resolve(id)),
            new AllocLaunch.NodeIdentity(
                node.id(), node.name(), node.datacenter(), node.region(), node.address()));
    AllocRunner runner = new AllocRunner(launch, images, timer, () -> allocChanged(id));
    alloc.runner = Optional.of(runner);
    HttpChecks.plan(id, group).forEach(p -> alloc.checks.put(p.id(), p.pending()));
    effects.add(
        () -> {
          try {
            runner.start();
          } catch (RuntimeException e) {
            log.warn("allocation {} could not start: {}", name, e.toString());
          }
        });
    return Optional.empty();
  }

  private static PlacementFailure exhausted(String dimension) {
    return new PlacementFailure(1, 0, Map.of(), 1, Map.of(dimension, 1), 0);
  }

  private static boolean globMatches(String pattern, String value) {
    String regex = ("\\Q" + pattern + "\\E").replace("*", "\\E.*\\Q");
    return value.matches(regex);
  }

  private boolean driverAvailable(TaskSpec task) {
    return switch (task.driver()) {
      case "raw_exec" -> true;
      case "docker" ->
          task.config().image().map(i -> images.stream().anyMatch(m -> m.matches(i))).orElse(false);
      default -> false;
    };
  }

  private Optional<Integer> freePort(Set<Integer> used) {
    int span = node.maxPort() - node.minPort() + 1;
    int start = ThreadLocalRandom.current().nextInt(span);
    for (int i = 0; i < span; i++) {
      int port = node.minPort() + (start + i) % span;
      if (!used.contains(port) && bindable(port)) {
        return Optional.of(port);
      }
    }
    return Optional.empty();
  }

  /** Nomad does not probe ports; we do, because tests share this host with other servers. */
  private boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getByName(node.address()))) {
      socket.setReuseAddress(true);
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private void stop(AllocRecord alloc, String description, List<Runnable> effects) {
    alloc.desiredStatus = "stop";
    alloc.desiredDescription = description;
    alloc.allocModifyIndex = index;
    touch(alloc);
    alloc.runner.ifPresent(
        r ->
            effects.add(
                () -> {
                  stopChecks(alloc.id);
                  r.stop();
                }));
  }

  private void touch(AllocRecord alloc) {
    alloc.modifyIndex = index;
    alloc.modifyTimeNanos = nowNanos();
    allocsIndex = index;
  }

  // ---------------------------------------------------------------------------------------------
  // Reports from running allocations

  private void allocChanged(String allocId) {
    List<Runnable> effects = new ArrayList<>();
    synchronized (this) {
      AllocRecord alloc = allocs.get(allocId);
      if (alloc == null || alloc.runner.isEmpty()) {
        return;
      }
      AllocRunner runner = alloc.runner.get();
      Map<String, TaskState> states = runner.taskStates();
      String status = clientStatus(states);
      if (states.equals(alloc.taskStates) && status.equals(alloc.clientStatus)) {
        return;
      }
      boolean wasTerminal = alloc.clientTerminal();
      index++;
      alloc.taskStates = states;
      alloc.clientStatus = status;
      alloc.clientDescription = describe(status);
      updateHealth(alloc);
      touch(alloc);
      if (status.equals("running")
          && runner.mainTasksRunning()
          && !alloc.checks.isEmpty()
          && !runningChecks.containsKey(allocId)
          && !closed) {
        HttpChecks checks =
            HttpChecks.start(
                HttpChecks.plan(allocId, alloc.groupSpec()),
                node.address(),
                alloc.ports,
                timer,
                result -> checkReported(allocId, result));
        runningChecks.put(allocId, checks);
      }
      if (!wasTerminal && alloc.clientTerminal()) {
        effects.add(() -> stopChecks(allocId));
        unblock(effects);
      }
    }
    finish(effects);
  }

  private void checkReported(String allocId, CheckResult result) {
    synchronized (this) {
      AllocRecord alloc = allocs.get(allocId);
      if (alloc == null || alloc.clientTerminal()) {
        return;
      }
      CheckResult previous = alloc.checks.get(result.id());
      if (previous != null
          && previous.status().equals(result.status())
          && previous.statusCode() == result.statusCode()) {
        return;
      }
      index++;
      alloc.checks.put(result.id(), result);
      updateHealth(alloc);
      touch(alloc);
    }
    waiters.changedAll();
  }

  private synchronized void stopChecks(String allocId) {
    HttpChecks checks = runningChecks.remove(allocId);
    if (checks != null) {
      checks.close();
    }
  }

  /**
   * Nomad marks an allocation healthy once its tasks run and its checks pass, and unhealthy if it
   * fails first; the flag does not change after that.
   */
  private void updateHealth(AllocRecord alloc) {
    if (alloc.healthy.isPresent() || alloc.jobVersion.spec().runsToCompletion()) {
      return;
    }
    boolean running =
        alloc.clientStatus.equals("running")
            && alloc.runner.map(AllocRunner::mainTasksRunning).orElse(false);
    boolean checksPass = alloc.checks.values().stream().allMatch(c -> c.status().equals("success"));
    if (running && checksPass) {
      long now = nowNanos();
      if (alloc.passingSinceNanos == 0) {
        alloc.passingSinceNanos = now;
      }
      long wait =
          alloc.groupSpec().update().map(u -> u.minHealthyTime().toNanos()).orElse(0L)
              - (now - alloc.passingSinceNanos);
      if (wait > 0) {
        // Healthy only after min_healthy_time of running with passing checks: look again then.
        String id = alloc.id;
        timer.schedule(() -> healthRecheck(id), wait, TimeUnit.NANOSECONDS);
        return;
      }
      alloc.healthy = Optional.of(true);
      alloc.healthModifyIndex = index;
    } else if (alloc.clientStatus.equals("failed")) {
      alloc.passingSinceNanos = 0;
      alloc.healthy = Optional.of(false);
      alloc.healthModifyIndex = index;
    } else {
      alloc.passingSinceNanos = 0;
    }
    if (alloc.healthy.isPresent()) {
      Optional.ofNullable(deployments.get(alloc.deploymentId)).ifPresent(this::progress);
    }
  }

  /** Nomad's client status from task states: failed, else running, else pending, else complete. */
  private static String clientStatus(Map<String, TaskState> states) {
    boolean running = false;
    boolean pending = false;
    boolean failed = false;
    for (TaskState s : states.values()) {
      switch (s.state()) {
        case "running" -> running = true;
        case "pending" -> pending = true;
        default -> failed |= s.failed();
      }
    }
    if (failed) {
      return "failed";
    }
    if (running) {
      return "running";
    }
    return pending ? "pending" : "complete";
  }

  private static String describe(String clientStatus) {
    return switch (clientStatus) {
      case "running" -> "Tasks are running";
      case "failed" -> "Failed tasks";
      case "complete" -> "All tasks have completed";
      default -> "No tasks have started";
    };
  }

  /** Freed resources: blocked evaluations try again, as Nomad's blocked-evals tracker does. */
  private void unblock(List<Runnable> effects) {
    if (closed) {
      // Shutting down: what stops now must not make room for anything new.
      return;
    }
    List<EvalRecord> blocked =
        evals.values().stream().filter(e -> e.status.equals("blocked")).toList();
    for (EvalRecord eval : blocked) {
      JobRecord job = jobs.get(eval.jobId);
      if (job == null || job.stopped) {
        eval.status = "canceled";
        eval.modifyIndex = index;
        continue;
      }
      schedule(job, eval, effects);
      if (eval.failedGroups.isEmpty()) {
        eval.status = "complete";
      } else {
        eval.status = "blocked";
        eval.blockedEval = Optional.empty();
      }
    }
  }

  private void finish(List<Runnable> effects) {
    effects.forEach(Runnable::run);
    waiters.changedAll();
  }

  /** The pids of every task that runs now, by allocation ID (for tests and diagnostics). */
  public synchronized Map<String, Map<String, Long>> taskPids() {
    Map<String, Map<String, Long>> pids = new LinkedHashMap<>();
    allocs.forEach((id, a) -> a.runner.ifPresent(r -> pids.put(id, r.pids())));
    return pids;
  }

  /** The directory of an allocation, if it exists. */
  public synchronized Optional<AllocDir> allocDir(String allocId) {
    return Optional.ofNullable(allocs.get(allocId))
        .flatMap(a -> a.runner)
        .map(r -> r.launch().dir());
  }

  /**
   * Stops every task: the kill signal, up to {@code grace} for processes to end, then {@code
   * SIGKILL} for whatever is left.
   */
  @Override
  public void close() {
    close(Duration.ofSeconds(10));
  }

  /** Stops every task, waiting at most {@code grace} before killing for good. */
  public void close(Duration grace) {
    List<AllocRunner> runners;
    synchronized (this) {
      closed = true;
      runningChecks.values().forEach(HttpChecks::close);
      runningChecks.clear();
      runners = allocs.values().stream().flatMap(a -> a.runner.stream()).toList();
    }
    List<CompletableFuture<Void>> stopping = runners.stream().map(AllocRunner::stopNow).toList();
    try {
      CompletableFuture.allOf(stopping.toArray(CompletableFuture[]::new))
          .get(grace.toMillis(), TimeUnit.MILLISECONDS);
    } catch (Exception e) {
      log.warn("tasks did not stop within {}; killing them", grace);
    }
    runners.forEach(AllocRunner::killNow);
    waiters.close();
  }

  static long nowNanos() {
    Instant now = Instant.now();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  /** For {@link ClusterJson}: runs {@code action} on each allocation of a job. */
  void forEachAlloc(String jobId, Consumer<AllocRecord> action) {
    allocs.values().stream().filter(a -> a.jobId.equals(jobId)).forEach(action);
  }
}
