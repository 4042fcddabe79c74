package dev.reviewapps.devstack.nomad.cluster;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.nomad.check.CheckResult;
import dev.reviewapps.devstack.nomad.exec.TaskEvent;
import dev.reviewapps.devstack.nomad.exec.TaskState;
import dev.reviewapps.devstack.nomad.job.GroupSpec;
import dev.reviewapps.devstack.nomad.job.PortSpec;
import dev.reviewapps.devstack.nomad.job.TaskSpec;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Renders the cluster's state in the JSON shapes of Nomad's HTTP API (UpperCamelCase fields,
 * durations and times as Nomad writes them). Every method returns the body and the index a blocking
 * query compares against; all of them run under the cluster's lock.
 */
public final class ClusterJson {
  /** A rendered answer and the index that goes in {@code X-Nomad-Index}. */
  public record Answer(JsonNode body, long index) {}

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
  private static final String ZERO_TIME = "0001-01-01T00:00:00Z";

  private final Cluster cluster;
  private final java.util.function.Supplier<String> httpAddress;

  /**
   * @param cluster the state to render
   * @param httpAddress {@code host:port} of the HTTP API, reported as the node's address
   */
  public ClusterJson(Cluster cluster, java.util.function.Supplier<String> httpAddress) {
    this.cluster = cluster;
    this.httpAddress = httpAddress;
  }

  // ---- jobs -------------------------------------------------------------------------------------

  public Answer jobs(String prefix) {
    return cluster.read(
        c -> {
          ArrayNode list = JSON.arrayNode();
          c.jobs.values().stream()
              .filter(j -> j.id.startsWith(prefix))
              .sorted(Comparator.comparing(j -> j.id))
              .forEach(j -> list.add(jobStub(c, j)));
          return new Answer(list, c.jobsIndex);
        });
  }

  public Optional<Answer> job(String id) {
    return cluster.read(
        c ->
            Optional.ofNullable(c.jobs.get(id))
                .map(j -> new Answer(job(c, j, j.current()), j.modifyIndex)));
  }

  public Optional<Answer> jobVersions(String id) {
    return cluster.read(
        c ->
            Optional.ofNullable(c.jobs.get(id))
                .map(
                    j -> {
                      ArrayNode versions = JSON.arrayNode();
                      for (int i = j.versions.size() - 1; i >= 0; i--) {
                        versions.add(job(c, j, j.versions.get(i)));
                      }
                      ObjectNode body = JSON.objectNode();
                      body.set("Versions", versions);
                      body.putNull("Diffs");
                      return new Answer(body, j.modifyIndex);
                    }));
  }

  public Optional<Answer> jobSummary(String id) {
    return cluster.read(
        c -> Optional.ofNullable(c.jobs.get(id)).map(j -> new Answer(summary(c, j), c.index)));
  }

  /**
   * A job's allocations. Like Nomad, those of an earlier job with the same ID (deregistered with
   * purge, then registered again) are left out unless {@code all}; those of a purged job stay
   * readable until it is registered again.
   */
  public Optional<Answer> jobAllocations(String id, boolean all) {
    return cluster.read(
        c -> {
          long since = all || !c.jobs.containsKey(id) ? 0 : c.jobs.get(id).createIndex;
          return ofJob(
              c,
              id,
              c.allocs.values().stream().filter(a -> a.createIndex >= since).toList(),
              a -> a.jobId,
              a -> a.modifyIndex,
              a -> allocStub(c, a),
              c.allocsIndex);
        });
  }

  public Optional<Answer> jobEvaluations(String id) {
    return cluster.read(
        c ->
            ofJob(
                c,
                id,
                c.evals.values(),
                e -> e.jobId,
                e -> e.modifyIndex,
                e -> eval(c, e),
                c.evalsIndex));
  }

  /**
   * The records of one job, indexed by the newest of them (the table's index if there is none).
   * Empty when neither the job nor any record of it is known.
   */
  private static <T> Optional<Answer> ofJob(
      Cluster c,
      String jobId,
      java.util.Collection<T> all,
      java.util.function.Function<T, String> jobOf,
      java.util.function.ToLongFunction<T> modifyIndex,
      java.util.function.Function<T, JsonNode> render,
      long tableIndex) {
    List<T> records = all.stream().filter(r -> jobOf.apply(r).equals(jobId)).toList();
    if (records.isEmpty() && !c.jobs.containsKey(jobId)) {
      return Optional.empty();
    }
    ArrayNode list = JSON.arrayNode();
    records.forEach(r -> list.add(render.apply(r)));
    long index = records.stream().mapToLong(modifyIndex).max().orElse(tableIndex);
    return Optional.of(new Answer(list, index));
  }

  /** The records whose ID starts with {@code prefix}, indexed by their table. */
  private static <T> Answer prefixed(
      java.util.Collection<T> all,
      java.util.function.Function<T, String> idOf,
      String prefix,
      java.util.function.Function<T, JsonNode> render,
      long tableIndex) {
    ArrayNode list = JSON.arrayNode();
    all.stream()
        .filter(r -> idOf.apply(r).startsWith(prefix))
        .forEach(r -> list.add(render.apply(r)));
    return new Answer(list, tableIndex);
  }

  // ---- deployments --------------------------------------------------------------------------

  /** A job's deployments, newest first, or (not {@code all}) the newest one, JSON null if none. */
  public Optional<Answer> jobDeployments(String id, boolean all) {
    return cluster.read(
        c -> {
          if (!c.jobs.containsKey(id)) {
            return Optional.<Answer>empty();
          }
          List<DeploymentRecord> mine =
              c.deployments.values().stream().filter(d -> d.jobId.equals(id)).toList();
          long index = mine.stream().mapToLong(d -> d.modifyIndex).max().orElse(c.deploymentsIndex);
          if (!all) {
            return Optional.of(
                new Answer(
                    mine.isEmpty() ? JSON.nullNode() : deployment(c, mine.get(mine.size() - 1)),
                    index));
          }
          ArrayNode list = JSON.arrayNode();
          for (int i = mine.size() - 1; i >= 0; i--) {
            list.add(deployment(c, mine.get(i)));
          }
          return Optional.of(new Answer(list, index));
        });
  }

  public Optional<Answer> deployment(String id) {
    return cluster.read(
        c ->
            Optional.ofNullable(c.deployments.get(id))
                .map(d -> new Answer(deployment(c, d), d.modifyIndex)));
  }

  public Answer deployments(String prefix) {
    return cluster.read(
        c ->
            prefixed(
                c.deployments.values(),
                d -> d.id,
                prefix,
                d -> deployment(c, d),
                c.deploymentsIndex));
  }

  private static ObjectNode deployment(Cluster c, DeploymentRecord d) {
    ObjectNode node = JSON.objectNode();
    node.put("ID", d.id);
    JobRecord job = c.jobs.get(d.jobId);
    node.put("Namespace", job == null ? "default" : job.spec().namespace());
    node.put("JobID", d.jobId);
    node.put("JobVersion", d.jobVersion);
    node.put("JobModifyIndex", d.jobModifyIndex);
    node.put("JobSpecModifyIndex", d.jobModifyIndex);
    node.put("JobCreateIndex", d.jobCreateIndex);
    node.put("IsMultiregion", false);
    ObjectNode groups = node.putObject("TaskGroups");
    d.groups.forEach(
        (name, g) -> {
          ObjectNode state = groups.putObject(name);
          List<AllocRecord> placed =
              c.allocs.values().stream()
                  .filter(a -> a.deploymentId.equals(d.id) && a.group.equals(name))
                  .toList();
          state.put("AutoRevert", false);
          state.put("AutoPromote", g.autoPromote);
          state.put("Promoted", g.promoted);
          ArrayNode canaries = state.putArray("PlacedCanaries");
          g.placedCanaries.forEach(canaries::add);
          state.put("DesiredCanaries", g.desiredCanaries);
          state.put("DesiredTotal", g.desiredTotal);
          state.put("PlacedAllocs", placed.size());
          state.put("HealthyAllocs", placed.stream().filter(a -> a.healthy.orElse(false)).count());
          state.put(
              "UnhealthyAllocs",
              placed.stream().filter(a -> a.healthy.equals(Optional.of(false))).count());
        });
    node.put("Status", d.status);
    node.put("StatusDescription", d.statusDescription);
    node.put("CreateIndex", d.createIndex);
    node.put("ModifyIndex", d.modifyIndex);
    return node;
  }

  // ---- allocations --------------------------------------------------------------------------

  public Answer allocations(String prefix) {
    return cluster.read(
        c -> prefixed(c.allocs.values(), a -> a.id, prefix, a -> allocStub(c, a), c.allocsIndex));
  }

  public Optional<Answer> allocation(String id) {
    return cluster.read(
        c -> findAlloc(c, id).map(a -> new Answer(allocation(c, a), a.modifyIndex)));
  }

  /** {@code /v1/client/allocation/:id/checks} as Nomad 1.4 and later answer it. */
  public Optional<Answer> allocationChecks(String id) {
    return cluster.read(
        c ->
            findAlloc(c, id)
                .map(
                    a -> {
                      ObjectNode body = JSON.objectNode();
                      a.checks.values().forEach(r -> body.set(r.id(), check(a, r)));
                      return new Answer(body, a.modifyIndex);
                    }));
  }

  /** Allocations may be named by a unique ID prefix, as Nomad's CLI does. */
  private static Optional<AllocRecord> findAlloc(Cluster c, String id) {
    AllocRecord exact = c.allocs.get(id);
    if (exact != null) {
      return Optional.of(exact);
    }
    List<AllocRecord> matches =
        c.allocs.values().stream().filter(a -> id.length() >= 8 && a.id.startsWith(id)).toList();
    return matches.size() == 1 ? Optional.of(matches.get(0)) : Optional.empty();
  }

  // ---- evaluations ----------------------------------------------------------------------------

  public Answer evaluations(String prefix) {
    return cluster.read(
        c -> prefixed(c.evals.values(), e -> e.id, prefix, e -> eval(c, e), c.evalsIndex));
  }

  public Optional<Answer> evaluation(String id) {
    return cluster.read(
        c -> Optional.ofNullable(c.evals.get(id)).map(e -> new Answer(eval(c, e), e.modifyIndex)));
  }

  public Optional<Answer> evaluationAllocations(String id) {
    return cluster.read(
        c ->
            Optional.ofNullable(c.evals.get(id))
                .map(
                    e -> {
                      ArrayNode list = JSON.arrayNode();
                      c.allocs.values().stream()
                          .filter(a -> a.evalId.equals(id))
                          .forEach(a -> list.add(allocStub(c, a)));
                      return new Answer(list, c.allocsIndex);
                    }));
  }

  // ---- nodes --------------------------------------------------------------------------------

  public Answer nodes() {
    return cluster.read(
        c -> {
          ObjectNode stub = JSON.objectNode();
          NodeConfig n = c.node;
          stub.put("Address", n.address());
          stub.put("ID", n.id());
          stub.put("Datacenter", n.datacenter());
          stub.put("Name", n.name());
          stub.put("NodeClass", "");
          stub.put("Version", NomadVersion.VERSION);
          stub.put("Drain", false);
          stub.put("SchedulingEligibility", "eligible");
          stub.put("Status", "ready");
          stub.put("StatusDescription", "");
          stub.set("Drivers", drivers(c));
          stub.put("CreateIndex", c.nodeIndex);
          stub.put("ModifyIndex", c.nodeIndex);
          return new Answer(JSON.arrayNode().add(stub), c.nodeIndex);
        });
  }

  public Optional<Answer> node(String id) {
    return cluster.read(
        c -> {
          NodeConfig n = c.node;
          if (!n.id().equals(id) && !(id.length() >= 8 && n.id().startsWith(id))) {
            return Optional.empty();
          }
          ObjectNode node = JSON.objectNode();
          node.put("ID", n.id());
          node.put("Datacenter", n.datacenter());
          node.put("Name", n.name());
          node.put("HTTPAddr", httpAddress.get());
          node.put("TLSEnabled", false);
          ObjectNode attributes = node.putObject("Attributes");
          attributes.put("kernel.name", "linux");
          attributes.put("os.name", "debian");
          attributes.put("nomad.version", NomadVersion.VERSION);
          attributes.put("driver.raw_exec", "1");
          attributes.put("unique.network.ip-address", n.address());
          attributes.put("unique.hostname", n.name());
          attributes.put("cpu.totalcompute", Integer.toString(n.cpuMhz()));
          attributes.put("memory.totalbytes", Long.toString(n.memoryMb() * 1024L * 1024L));
          ObjectNode resources = node.putObject("NodeResources");
          resources.putObject("Cpu").put("CpuShares", n.cpuMhz());
          resources.putObject("Memory").put("MemoryMB", n.memoryMb());
          resources.putObject("Disk").put("DiskMB", 100_000);
          resources.put("MinDynamicPort", n.minPort());
          resources.put("MaxDynamicPort", n.maxPort());
          ObjectNode legacy = node.putObject("Resources");
          legacy.put("CPU", n.cpuMhz());
          legacy.put("MemoryMB", n.memoryMb());
          legacy.put("DiskMB", 100_000);
          node.putObject("Meta");
          node.put("NodeClass", "");
          node.put("Drain", false);
          node.put("SchedulingEligibility", "eligible");
          node.put("Status", "ready");
          node.put("StatusDescription", "");
          node.set("Drivers", drivers(c));
          node.put("CreateIndex", c.nodeIndex);
          node.put("ModifyIndex", c.nodeIndex);
          return Optional.of(new Answer(node, c.nodeIndex));
        });
  }

  public Optional<Answer> nodeAllocations(String id) {
    return cluster.read(
        c -> {
          if (!c.node.id().equals(id)) {
            return Optional.empty();
          }
          ArrayNode list = JSON.arrayNode();
          c.allocs.values().forEach(a -> list.add(allocation(c, a)));
          return Optional.of(new Answer(list, c.allocsIndex));
        });
  }

  private ObjectNode drivers(Cluster c) {
    ObjectNode drivers = JSON.objectNode();
    String now = time(Instant.now());
    ObjectNode raw = drivers.putObject("raw_exec");
    raw.putObject("Attributes").put("driver.raw_exec", "true");
    raw.put("Detected", true);
    raw.put("Healthy", true);
    raw.put("HealthDescription", "Healthy");
    raw.put("UpdateTime", now);
    ObjectNode docker = drivers.putObject("docker");
    boolean mapped = c.imagesMapped();
    docker.putNull("Attributes");
    docker.put("Detected", mapped);
    docker.put("Healthy", mapped);
    docker.put(
        "HealthDescription",
        mapped
            ? "devstack: no docker engine; mapped images run as raw_exec commands"
            : "Failed to connect to docker daemon");
    docker.put("UpdateTime", now);
    return drivers;
  }

  // ---- shapes ---------------------------------------------------------------------------------

  private ObjectNode job(Cluster c, JobRecord j, JobRecord.Version v) {
    ObjectNode job = v.submitted().deepCopy();
    boolean current = v == j.current();
    job.put("Stop", current && j.stopped);
    job.put("Status", current ? jobStatus(c, j) : "dead");
    job.put("StatusDescription", "");
    job.put("Stable", false);
    job.put("Version", v.number());
    job.put("SubmitTime", v.submitTimeNanos());
    job.put("CreateIndex", j.createIndex);
    job.put("ModifyIndex", current ? j.modifyIndex : v.jobModifyIndex());
    job.put("JobModifyIndex", v.jobModifyIndex());
    return job;
  }

  private ObjectNode jobStub(Cluster c, JobRecord j) {
    ObjectNode stub = JSON.objectNode();
    ObjectNode submitted = j.current().submitted();
    stub.put("ID", j.id);
    stub.put("ParentID", submitted.path("ParentID").asText(""));
    stub.put("Name", j.spec().name());
    stub.put("Namespace", j.spec().namespace());
    stub.set("Datacenters", submitted.get("Datacenters"));
    stub.put("Type", j.spec().type());
    stub.put("Priority", j.spec().priority());
    stub.put("Periodic", submitted.hasNonNull("Periodic"));
    stub.put("ParameterizedJob", submitted.hasNonNull("ParameterizedJob"));
    stub.put("Stop", j.stopped);
    stub.put("Status", jobStatus(c, j));
    stub.put("StatusDescription", "");
    stub.set("JobSummary", summary(c, j));
    stub.put("CreateIndex", j.createIndex);
    stub.put("ModifyIndex", j.modifyIndex);
    stub.put("JobModifyIndex", j.current().jobModifyIndex());
    stub.put("SubmitTime", j.current().submitTimeNanos());
    return stub;
  }

  /** Nomad's job status: running while any allocation is, pending while work waits, else dead. */
  private static String jobStatus(Cluster c, JobRecord j) {
    boolean active =
        c.allocs.values().stream().anyMatch(a -> a.jobId.equals(j.id) && !a.clientTerminal());
    if (active) {
      return "running";
    }
    if (j.stopped) {
      return "dead";
    }
    boolean waiting =
        c.evals.values().stream().anyMatch(e -> e.jobId.equals(j.id) && e.status.equals("blocked"));
    boolean any = c.allocs.values().stream().anyMatch(a -> a.jobId.equals(j.id));
    return waiting || !any ? "pending" : "dead";
  }

  private static ObjectNode summary(Cluster c, JobRecord j) {
    ObjectNode summary = JSON.objectNode();
    summary.put("JobID", j.id);
    summary.put("Namespace", j.spec().namespace());
    ObjectNode groups = summary.putObject("Summary");
    Optional<EvalRecord> blocked =
        c.evals.values().stream()
            .filter(e -> e.jobId.equals(j.id) && e.status.equals("blocked"))
            .findFirst();
    for (GroupSpec g : j.spec().groups()) {
      ObjectNode counts = groups.putObject(g.name());
      int queued = blocked.map(e -> e.queued.getOrDefault(g.name(), 0)).orElse(0);
      int starting = 0;
      int running = 0;
      int complete = 0;
      int failed = 0;
      int lost = 0;
      for (AllocRecord a : c.allocs.values()) {
        if (!a.jobId.equals(j.id) || !a.group.equals(g.name())) {
          continue;
        }
        switch (a.clientStatus) {
          case "pending" -> starting++;
          case "running" -> running++;
          case "complete" -> complete++;
          case "failed" -> failed++;
          default -> lost++;
        }
      }
      counts.put("Queued", queued);
      counts.put("Complete", complete);
      counts.put("Failed", failed);
      counts.put("Running", running);
      counts.put("Starting", starting);
      counts.put("Lost", lost);
      counts.put("Unknown", 0);
    }
    ObjectNode children = summary.putObject("Children");
    children.put("Pending", 0);
    children.put("Running", 0);
    children.put("Dead", 0);
    summary.put("CreateIndex", j.createIndex);
    summary.put("ModifyIndex", c.index);
    return summary;
  }

  private ObjectNode allocStub(Cluster c, AllocRecord a) {
    ObjectNode stub = JSON.objectNode();
    stub.put("ID", a.id);
    stub.put("EvalID", a.evalId);
    stub.put("Name", a.name);
    stub.put("Namespace", a.jobVersion.spec().namespace());
    stub.put("NodeID", c.node.id());
    stub.put("NodeName", c.node.name());
    stub.put("JobID", a.jobId);
    stub.put("JobType", a.jobVersion.spec().type());
    stub.put("JobVersion", a.jobVersion.number());
    stub.put("TaskGroup", a.group);
    stub.set("AllocatedResources", allocatedResources(c, a));
    stub.put("DesiredStatus", a.desiredStatus);
    stub.put("DesiredDescription", a.desiredDescription);
    stub.put("ClientStatus", a.clientStatus);
    stub.put("ClientDescription", a.clientDescription);
    stub.set("TaskStates", taskStates(a));
    stub.set("DeploymentStatus", deploymentStatus(a));
    stub.put("DeploymentID", a.deploymentId);
    stub.put("FollowupEvalID", "");
    stub.putNull("RescheduleTracker");
    stub.putNull("PreemptedAllocations");
    stub.put("PreemptedByAllocation", "");
    stub.put("CreateIndex", a.createIndex);
    stub.put("ModifyIndex", a.modifyIndex);
    stub.put("CreateTime", a.createTimeNanos);
    stub.put("ModifyTime", a.modifyTimeNanos);
    return stub;
  }

  private ObjectNode allocation(Cluster c, AllocRecord a) {
    ObjectNode alloc = JSON.objectNode();
    alloc.put("ID", a.id);
    alloc.put("Namespace", a.jobVersion.spec().namespace());
    alloc.put("EvalID", a.evalId);
    alloc.put("Name", a.name);
    alloc.put("NodeID", c.node.id());
    alloc.put("NodeName", c.node.name());
    alloc.put("JobID", a.jobId);
    JobRecord owner = c.jobs.get(a.jobId);
    alloc.set(
        "Job", owner == null ? a.jobVersion.submitted().deepCopy() : job(c, owner, a.jobVersion));
    alloc.put("TaskGroup", a.group);
    GroupSpec group = a.groupSpec();
    ObjectNode resources = alloc.putObject("Resources");
    resources.put("CPU", group.cpuMhz());
    resources.put("MemoryMB", group.memoryMb());
    resources.put("DiskMB", 300);
    ObjectNode taskResources = alloc.putObject("TaskResources");
    for (TaskSpec t : group.tasks()) {
      ObjectNode r = taskResources.putObject(t.name());
      r.put("CPU", t.cpuMhz());
      r.put("MemoryMB", t.memoryMb());
      r.set("Networks", networks(c, a, t.ports()));
    }
    alloc.set("AllocatedResources", allocatedResources(c, a));
    alloc.set("Services", JSON.objectNode());
    alloc.set("Metrics", metric(c, new PlacementFailure(1, 0, Map.of(), 0, Map.of(), 0)));
    alloc.put("DesiredStatus", a.desiredStatus);
    alloc.put("DesiredDescription", a.desiredDescription);
    alloc.set("DesiredTransition", JSON.objectNode().putNull("Migrate").putNull("Reschedule"));
    alloc.put("ClientStatus", a.clientStatus);
    alloc.put("ClientDescription", a.clientDescription);
    alloc.set("TaskStates", taskStates(a));
    alloc.put("DeploymentID", a.deploymentId);
    alloc.set("DeploymentStatus", deploymentStatus(a));
    alloc.put("FollowupEvalID", "");
    alloc.put("PreviousAllocation", "");
    alloc.put("NextAllocation", "");
    alloc.putNull("RescheduleTracker");
    alloc.putNull("PreemptedAllocations");
    alloc.put("PreemptedByAllocation", "");
    alloc.put("JobVersion", a.jobVersion.number());
    alloc.put("CreateIndex", a.createIndex);
    alloc.put("ModifyIndex", a.modifyIndex);
    alloc.put("AllocModifyIndex", a.allocModifyIndex);
    alloc.put("CreateTime", a.createTimeNanos);
    alloc.put("ModifyTime", a.modifyTimeNanos);
    return alloc;
  }

  private ObjectNode allocatedResources(Cluster c, AllocRecord a) {
    GroupSpec group = a.groupSpec();
    ObjectNode allocated = JSON.objectNode();
    ObjectNode tasks = allocated.putObject("Tasks");
    for (TaskSpec t : group.tasks()) {
      ObjectNode r = tasks.putObject(t.name());
      r.putObject("Cpu").put("CpuShares", t.cpuMhz()).put("ReservedCores", (String) null);
      r.putObject("Memory").put("MemoryMB", t.memoryMb()).put("MemoryMaxMB", 0);
      r.set("Networks", networks(c, a, t.ports()));
    }
    ObjectNode shared = allocated.putObject("Shared");
    shared.put("DiskMB", 300);
    shared.set("Networks", networks(c, a, group.ports()));
    ArrayNode ports = shared.putArray("Ports");
    for (PortSpec p : group.ports()) {
      ports
          .addObject()
          .put("Label", p.label())
          .put("Value", a.ports.get(p.label()))
          .put("To", p.to())
          .put("HostIP", c.node.address());
    }
    return allocated;
  }

  private static JsonNode networks(Cluster c, AllocRecord a, List<PortSpec> ports) {
    ArrayNode networks = JSON.arrayNode();
    if (ports.isEmpty()) {
      return networks;
    }
    ObjectNode network = networks.addObject();
    network.put("Mode", "host");
    network.put("Device", "lo");
    network.put("CIDR", "");
    network.put("IP", c.node.address());
    network.put("MBits", 0);
    ArrayNode reserved = network.putArray("ReservedPorts");
    ArrayNode dynamic = network.putArray("DynamicPorts");
    for (PortSpec p : ports) {
      (p.dynamic() ? dynamic : reserved)
          .addObject()
          .put("Label", p.label())
          .put("Value", a.ports.get(p.label()))
          .put("To", p.to())
          .put("HostNetwork", "default");
    }
    return networks;
  }

  private static JsonNode deploymentStatus(AllocRecord a) {
    if (a.healthy.isEmpty() && !a.canary) {
      return JSON.nullNode();
    }
    ObjectNode status = JSON.objectNode();
    if (a.healthy.isPresent()) {
      status.put("Healthy", a.healthy.get());
    } else {
      status.putNull("Healthy");
    }
    status.put("Timestamp", time(Instant.ofEpochSecond(0, a.modifyTimeNanos)));
    status.put("Canary", a.canary);
    status.put("ModifyIndex", a.healthModifyIndex);
    return status;
  }

  private static ObjectNode taskStates(AllocRecord a) {
    ObjectNode states = JSON.objectNode();
    a.taskStates.forEach((name, s) -> states.set(name, taskState(s)));
    return states;
  }

  private static ObjectNode taskState(TaskState s) {
    ObjectNode state = JSON.objectNode();
    state.put("State", s.state());
    state.put("Failed", s.failed());
    state.put("Restarts", s.restarts());
    state.put("LastRestart", s.lastRestart().map(ClusterJson::time).orElse(ZERO_TIME));
    state.put("StartedAt", s.startedAt().map(ClusterJson::time).orElse(ZERO_TIME));
    state.put("FinishedAt", s.finishedAt().map(ClusterJson::time).orElse(ZERO_TIME));
    ArrayNode events = state.putArray("Events");
    s.events().forEach(e -> events.add(event(e)));
    return state;
  }

  private static ObjectNode event(TaskEvent e) {
    ObjectNode event = JSON.objectNode();
    event.put("Type", e.type());
    event.put("Time", e.timeNanos());
    event.put("DisplayMessage", e.message());
    ObjectNode details = event.putObject("Details");
    e.details().forEach(details::put);
    event.put("Message", "");
    event.put("FailsTask", e.failsTask());
    event.put("RestartReason", e.type().equals("Restarting") ? e.message() : "");
    event.put("SetupError", "");
    event.put("DriverError", e.type().equals("Driver Failure") ? e.message() : "");
    event.put("ExitCode", e.exitCode());
    event.put("Signal", e.signal());
    event.put("KillTimeout", 0);
    event.put("KillError", "");
    event.put("KillReason", "");
    event.put("StartDelay", e.startDelayNanos());
    event.put("DownloadError", "");
    event.put("ValidationError", "");
    event.put("DiskLimit", 0);
    event.put("FailedSibling", e.details().getOrDefault("failed_sibling", ""));
    event.put("VaultError", "");
    event.put("TaskSignalReason", "");
    event.put("TaskSignal", "");
    event.put("DriverMessage", e.type().equals("Driver") ? e.message() : "");
    event.put("GenericSource", "");
    return event;
  }

  private ObjectNode eval(Cluster c, EvalRecord e) {
    ObjectNode eval = JSON.objectNode();
    eval.put("ID", e.id);
    eval.put("Namespace", "default");
    eval.put("Priority", e.priority);
    eval.put("Type", e.type);
    eval.put("TriggeredBy", e.triggeredBy);
    eval.put("JobID", e.jobId);
    eval.put("JobModifyIndex", e.jobModifyIndex);
    eval.put("NodeID", "");
    eval.put("NodeModifyIndex", 0);
    eval.put("DeploymentID", "");
    eval.put("Status", e.status);
    eval.put("StatusDescription", e.statusDescription);
    eval.put("Wait", 0);
    eval.put("WaitUntil", ZERO_TIME);
    eval.put("NextEval", "");
    eval.put("PreviousEval", e.previousEval.orElse(""));
    eval.put("BlockedEval", e.blockedEval.orElse(""));
    if (e.failedGroups.isEmpty()) {
      eval.putNull("FailedTGAllocs");
    } else {
      ObjectNode failed = eval.putObject("FailedTGAllocs");
      e.failedGroups.forEach((g, f) -> failed.set(g, metric(c, f)));
    }
    eval.putNull("ClassEligibility");
    eval.put("EscapedComputedClass", false);
    eval.put("QuotaLimitReached", "");
    eval.put("AnnotatePlan", false);
    ObjectNode queued = eval.putObject("QueuedAllocations");
    e.queued.forEach(queued::put);
    eval.put("SnapshotIndex", e.modifyIndex);
    eval.put("CreateIndex", e.createIndex);
    eval.put("ModifyIndex", e.modifyIndex);
    eval.put("CreateTime", e.createTimeNanos);
    eval.put("ModifyTime", e.modifyTimeNanos);
    return eval;
  }

  private static ObjectNode metric(Cluster c, PlacementFailure f) {
    ObjectNode m = JSON.objectNode();
    m.put("NodesEvaluated", f.nodesEvaluated());
    m.put("NodesFiltered", f.nodesFiltered());
    ObjectNode available = m.putObject("NodesAvailable");
    if (f.nodesEvaluated() > 0) {
      available.put(c.node.datacenter(), 1);
    }
    m.putNull("ClassFiltered");
    if (f.constraintFiltered().isEmpty()) {
      m.putNull("ConstraintFiltered");
    } else {
      ObjectNode constraint = m.putObject("ConstraintFiltered");
      f.constraintFiltered().forEach(constraint::put);
    }
    m.put("NodesExhausted", f.nodesExhausted());
    m.putNull("ClassExhausted");
    if (f.dimensionExhausted().isEmpty()) {
      m.putNull("DimensionExhausted");
    } else {
      ObjectNode dimension = m.putObject("DimensionExhausted");
      f.dimensionExhausted().forEach(dimension::put);
    }
    m.putNull("QuotaExhausted");
    m.putNull("ResourcesExhausted");
    m.putNull("Scores");
    m.putNull("ScoreMetaData");
    m.put("AllocationTime", 0);
    m.put("CoalescedFailures", f.coalescedFailures());
    return m;
  }

  private static ObjectNode check(AllocRecord a, CheckResult r) {
    ObjectNode check = JSON.objectNode();
    check.put("ID", r.id());
    check.put("Check", r.check());
    check.put("Group", a.jobId + "." + a.group);
    check.put("Mode", "healthiness");
    check.put("Output", r.output());
    check.put("Service", r.service());
    check.put("Task", r.task());
    check.put("Status", r.status());
    check.put("StatusCode", r.statusCode());
    check.put("Timestamp", r.timestampSeconds());
    return check;
  }

  /** RFC 3339 in UTC with millisecond precision, which every JSON client parses. */
  static String time(Instant instant) {
    return instant.truncatedTo(ChronoUnit.MILLIS).toString();
  }
}
