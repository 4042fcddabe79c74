package dev.reviewapps.devstack.nomad.job;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Validates a job as submitted to {@code /v1/jobs} and canonicalises it: fills the defaults that
 * Nomad's {@code Canonicalize} fills (region, namespace, priority, counts, restart policies,
 * resources, kill timeout), so reads return what Nomad would return.
 */
public final class JobParser {
  /** The job as it will be stored and read back, and its typed form. */
  public record Parsed(ObjectNode canonical, JobSpec spec) {}

  private static final Set<String> TYPES = Set.of("service", "batch", "system", "sysbatch");
  private static final long DEFAULT_KILL_TIMEOUT_NANOS = Duration.ofSeconds(5).toNanos();

  private JobParser() {}

  /**
   * Parses one job. The given node is not changed.
   *
   * @throws InvalidJobException listing every problem found
   */
  public static Parsed parse(JsonNode submitted) throws InvalidJobException {
    if (submitted == null || !submitted.isObject()) {
      throw new InvalidJobException(List.of("Job must be a JSON object"));
    }
    ObjectNode job = ((ObjectNode) submitted).deepCopy();
    List<String> problems = new ArrayList<>();
    String id = text(job, "ID").orElse("");
    if (id.isEmpty()) {
      problems.add("Missing job ID");
    } else if (id.contains(" ")) {
      problems.add("Job ID contains a space");
    }
    defaultText(job, "Name", id);
    defaultText(job, "Region", "global");
    defaultText(job, "Namespace", "default");
    defaultText(job, "Type", "service");
    String type = job.get("Type").asText();
    if (!TYPES.contains(type)) {
      problems.add("Invalid job type: \"" + type + "\"");
    }
    if (!job.hasNonNull("Priority")) {
      job.put("Priority", 50);
    }
    int priority = job.get("Priority").asInt();
    if (priority < 1 || priority > 100) {
      problems.add("Job priority must be between [1, 100]");
    }
    List<String> datacenters = strings(job.get("Datacenters"));
    if (datacenters.isEmpty()) {
      // Nomad 1.5 and later default to every datacenter.
      datacenters = List.of("*");
      job.set("Datacenters", JsonNodeFactory.instance.arrayNode().add("*"));
    }
    for (String field : List.of("AllAtOnce", "Stop", "Dispatched")) {
      if (!job.hasNonNull(field)) {
        job.put(field, false);
      }
    }
    Map<String, String> meta = stringMap(job.get("Meta"));
    List<GroupSpec> groups = new ArrayList<>();
    JsonNode groupNodes = job.get("TaskGroups");
    if (groupNodes == null || !groupNodes.isArray() || groupNodes.isEmpty()) {
      problems.add("Missing job task groups");
    } else {
      Set<String> names = new java.util.HashSet<>();
      int index = 1;
      for (JsonNode groupNode : groupNodes) {
        if (!groupNode.isObject()) {
          problems.add("Job task group " + index + " is not an object");
        } else {
          group((ObjectNode) groupNode, type, index, problems)
              .ifPresent(
                  g -> {
                    if (!names.add(g.name())) {
                      problems.add("Job task group " + g.name() + " redefines");
                    }
                    groups.add(g);
                  });
        }
        index++;
      }
    }
    if (!problems.isEmpty()) {
      throw new InvalidJobException(problems);
    }
    JobSpec spec =
        new JobSpec(
            id,
            job.get("Name").asText(),
            type,
            job.get("Namespace").asText(),
            priority,
            datacenters,
            meta,
            groups);
    return new Parsed(job, spec);
  }

  private static Optional<GroupSpec> group(
      ObjectNode group, String jobType, int index, List<String> problems) {
    Optional<String> name = text(group, "Name");
    if (name.isEmpty() || name.get().isEmpty()) {
      problems.add("Job task group " + index + " missing name");
      return Optional.empty();
    }
    String prefix = "Task group " + name.get() + " validation failed: ";
    if (!group.hasNonNull("Count")) {
      group.put("Count", 1);
    }
    int count = group.get("Count").asInt();
    if (count < 0) {
      problems.add("Task group " + name.get() + " should have a positive count");
    }
    if (jobType.equals("system") || jobType.equals("sysbatch")) {
      // One allocation per node, and this cluster has one node.
      count = Math.min(count, 1);
    }
    RestartPolicy defaultRestart =
        jobType.equals("batch") || jobType.equals("sysbatch")
            ? RestartPolicy.batchDefault()
            : RestartPolicy.serviceDefault();
    RestartPolicy restart = restartPolicy(group, defaultRestart);
    if (!group.hasNonNull("EphemeralDisk")) {
      group.set("EphemeralDisk", JsonNodeFactory.instance.objectNode().put("SizeMB", 300));
    }
    List<PortSpec> ports = networkPorts(group.get("Networks"));
    List<ServiceSpec> services = services(group.get("Services"), Optional.empty(), ports);
    List<TaskSpec> tasks = new ArrayList<>();
    JsonNode taskNodes = group.get("Tasks");
    if (taskNodes == null || !taskNodes.isArray() || taskNodes.isEmpty()) {
      problems.add(prefix + "Missing tasks for task group");
    } else {
      Set<String> taskNames = new java.util.HashSet<>();
      for (JsonNode taskNode : taskNodes) {
        if (taskNode.isObject()) {
          task((ObjectNode) taskNode, restart, prefix, problems)
              .ifPresent(
                  t -> {
                    if (!taskNames.add(t.name())) {
                      problems.add(prefix + "Task " + t.name() + " redefines");
                    }
                    tasks.add(t);
                  });
        } else {
          problems.add(prefix + "Task is not an object");
        }
      }
    }
    long shutdownDelay = group.path("ShutdownDelay").asLong(0);
    if (shutdownDelay < 0) {
      problems.add(prefix + "ShutdownDelay must be >= 0");
    }
    return Optional.of(
        new GroupSpec(
            name.get(),
            count,
            tasks,
            restart,
            ports,
            services,
            stringMap(group.get("Meta")),
            Duration.ofNanos(Math.max(0, shutdownDelay)),
            update(group.get("Update"), prefix, problems)));
  }

  /**
   * The group's update block (job-level blocks are merged into groups by the client libraries and
   * by {@code nomad job run}): canary count, auto-promotion and the healthy deadline.
   */
  private static Optional<UpdateSpec> update(
      JsonNode update, String prefix, List<String> problems) {
    if (update == null || !update.isObject()) {
      return Optional.empty();
    }
    int canary = update.path("Canary").asInt(0);
    if (canary < 0) {
      problems.add(prefix + "Update Canary must be >= 0");
    }
    long deadline = update.path("HealthyDeadline").asLong(0);
    long progress = update.path("ProgressDeadline").asLong(0);
    if (deadline < 0 || progress < 0) {
      problems.add(prefix + "Update deadlines must be >= 0");
    }
    if (progress > 0 && deadline >= progress) {
      problems.add(prefix + "Update healthy_deadline must be less than progress_deadline");
    }
    JsonNode minHealthy = update.get("MinHealthyTime");
    return Optional.of(
        new UpdateSpec(
            Math.max(0, canary),
            update.path("AutoPromote").asBoolean(false),
            minHealthy == null || minHealthy.isNull()
                ? UpdateSpec.DEFAULT_MIN_HEALTHY_TIME
                : Duration.ofNanos(Math.max(0, minHealthy.asLong(0))),
            deadline > 0 ? Duration.ofNanos(deadline) : UpdateSpec.DEFAULT_HEALTHY_DEADLINE));
  }

  private static Optional<TaskSpec> task(
      ObjectNode task, RestartPolicy groupRestart, String prefix, List<String> problems) {
    Optional<String> name = text(task, "Name");
    if (name.isEmpty() || name.get().isEmpty()) {
      problems.add(prefix + "Missing task name");
      return Optional.empty();
    }
    String taskPrefix = prefix + "Task " + name.get() + " validation failed: ";
    Optional<String> driver = text(task, "Driver");
    if (driver.isEmpty() || driver.get().isEmpty()) {
      problems.add(taskPrefix + "Missing task driver");
    }
    JsonNode config = task.get("Config");
    Optional<String> command = config == null ? Optional.empty() : text(config, "command");
    if (driver.orElse("").equals("raw_exec") && command.isEmpty()) {
      problems.add(taskPrefix + "1 error occurred:\n\t* missing required field \"command\"");
    }
    ObjectNode resources =
        task.hasNonNull("Resources")
            ? (ObjectNode) task.get("Resources")
            : task.putObject("Resources");
    if (!resources.hasNonNull("CPU")) {
      resources.put("CPU", 100);
    }
    if (!resources.hasNonNull("MemoryMB")) {
      resources.put("MemoryMB", 300);
    }
    int cpu = resources.get("CPU").asInt();
    int memory = resources.get("MemoryMB").asInt();
    if (cpu < 1) {
      problems.add(taskPrefix + "Minimum CPU value is 1; got " + cpu);
    }
    if (memory < 10) {
      problems.add(taskPrefix + "Minimum MemoryMB value is 10; got " + memory);
    }
    if (!task.hasNonNull("KillTimeout")) {
      task.put("KillTimeout", DEFAULT_KILL_TIMEOUT_NANOS);
    }
    if (!task.hasNonNull("LogConfig")) {
      task.set(
          "LogConfig",
          JsonNodeFactory.instance.objectNode().put("MaxFiles", 10).put("MaxFileSizeMB", 10));
    }
    if (!task.hasNonNull("Leader")) {
      task.put("Leader", false);
    }
    Optional<TaskSpec.Lifecycle> lifecycle = Optional.empty();
    JsonNode lifecycleNode = task.get("Lifecycle");
    if (lifecycleNode != null && lifecycleNode.isObject()) {
      String hook = text(lifecycleNode, "Hook").orElse("");
      if (!Set.of("prestart", "poststart", "poststop").contains(hook)) {
        problems.add(taskPrefix + "invalid hook: " + hook);
      }
      lifecycle =
          Optional.of(new TaskSpec.Lifecycle(hook, lifecycleNode.path("Sidecar").asBoolean(false)));
    }
    Optional<RestartPolicy> ownRestart =
        task.hasNonNull("RestartPolicy")
            ? Optional.of(restartPolicy(task, groupRestart))
            : Optional.empty();
    List<PortSpec> ports = networkPorts(resources.get("Networks"));
    return Optional.of(
        new TaskSpec(
            name.get(),
            driver.orElse(""),
            new TaskSpec.DriverConfig(
                command,
                config == null ? List.of() : strings(config.get("args")),
                config == null ? Optional.empty() : text(config, "image")),
            stringMap(task.get("Env")),
            cpu,
            memory,
            ports,
            Duration.ofNanos(task.get("KillTimeout").asLong()),
            text(task, "KillSignal").filter(s -> !s.isEmpty()).orElse("SIGTERM"),
            lifecycle,
            ownRestart,
            services(task.get("Services"), Optional.of(name.get()), ports),
            stringMap(task.get("Meta")),
            task.get("Leader").asBoolean()));
  }

  /** Reads a restart block, filling missing fields from the default and writing them back. */
  private static RestartPolicy restartPolicy(ObjectNode owner, RestartPolicy fallback) {
    ObjectNode node =
        owner.hasNonNull("RestartPolicy")
            ? (ObjectNode) owner.get("RestartPolicy")
            : owner.putObject("RestartPolicy");
    if (!node.hasNonNull("Attempts")) {
      node.put("Attempts", fallback.attempts());
    }
    if (!node.hasNonNull("Interval")) {
      node.put("Interval", fallback.interval().toNanos());
    }
    if (!node.hasNonNull("Delay")) {
      node.put("Delay", fallback.delay().toNanos());
    }
    if (!node.hasNonNull("Mode")) {
      node.put("Mode", fallback.mode());
    }
    return new RestartPolicy(
        node.get("Attempts").asInt(),
        Duration.ofNanos(node.get("Interval").asLong()),
        Duration.ofNanos(node.get("Delay").asLong()),
        node.get("Mode").asText());
  }

  private static List<PortSpec> networkPorts(JsonNode networks) {
    List<PortSpec> ports = new ArrayList<>();
    if (networks == null || !networks.isArray()) {
      return ports;
    }
    for (JsonNode network : networks) {
      for (JsonNode port : iterable(network.get("ReservedPorts"))) {
        ports.add(new PortSpec(port.path("Label").asText(), port.path("Value").asInt(), to(port)));
      }
      for (JsonNode port : iterable(network.get("DynamicPorts"))) {
        ports.add(new PortSpec(port.path("Label").asText(), 0, to(port)));
      }
    }
    return ports;
  }

  private static int to(JsonNode port) {
    return port.path("To").asInt(0);
  }

  private static List<ServiceSpec> services(
      JsonNode services, Optional<String> task, List<PortSpec> ports) {
    List<ServiceSpec> result = new ArrayList<>();
    for (JsonNode service : iterable(services)) {
      String portLabel = text(service, "PortLabel").orElse("");
      List<ServiceSpec.CheckSpec> checks = new ArrayList<>();
      for (JsonNode check : iterable(service.get("Checks"))) {
        checks.add(
            new ServiceSpec.CheckSpec(
                text(check, "Name")
                    .orElse("service: \"" + text(service, "Name").orElse("") + "\" check"),
                text(check, "Type").orElse(""),
                text(check, "Path").orElse("/"),
                text(check, "Method").filter(m -> !m.isEmpty()).orElse("GET"),
                text(check, "PortLabel").filter(p -> !p.isEmpty()).orElse(portLabel),
                Duration.ofNanos(check.path("Interval").asLong(Duration.ofSeconds(10).toNanos())),
                Duration.ofNanos(check.path("Timeout").asLong(Duration.ofSeconds(2).toNanos()))));
      }
      result.add(
          new ServiceSpec(
              text(service, "Name").orElse(""),
              portLabel,
              task.or(() -> text(service, "TaskName").filter(t -> !t.isEmpty())),
              checks));
    }
    return result;
  }

  private static Iterable<JsonNode> iterable(JsonNode node) {
    return node == null || !node.isArray() ? List.of() : node;
  }

  private static Optional<String> text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? Optional.empty() : Optional.of(value.asText());
  }

  private static void defaultText(ObjectNode node, String field, String value) {
    if (!node.hasNonNull(field) || node.get(field).asText().isEmpty()) {
      node.put(field, value);
    }
  }

  private static List<String> strings(JsonNode node) {
    List<String> values = new ArrayList<>();
    if (node != null && node.isArray()) {
      ((ArrayNode) node).forEach(v -> values.add(v.asText()));
    }
    return values;
  }

  private static Map<String, String> stringMap(JsonNode node) {
    Map<String, String> values = new LinkedHashMap<>();
    if (node != null && node.isObject()) {
      node.fields().forEachRemaining(e -> values.put(e.getKey(), e.getValue().asText()));
    }
    return values;
  }
}
