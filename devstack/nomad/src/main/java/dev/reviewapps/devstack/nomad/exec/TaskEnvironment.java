package dev.reviewapps.devstack.nomad.exec;

import dev.reviewapps.devstack.nomad.job.TaskSpec;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The environment Nomad gives a task ({@code NOMAD_ALLOC_ID}, {@code NOMAD_PORT_<label>}, …, then
 * the task's own {@code Env}), and Nomad's {@code ${…}} interpolation of variables, node attributes
 * and meta in {@code Env} values and driver arguments.
 */
final class TaskEnvironment {
  private static final Pattern REFERENCE = Pattern.compile("\\$\\{([^}]+)}");

  private final Map<String, String> variables;
  private final AllocLaunch launch;

  private TaskEnvironment(AllocLaunch launch, Map<String, String> variables) {
    this.launch = launch;
    this.variables = variables;
  }

  static TaskEnvironment of(AllocLaunch launch, TaskSpec task) {
    Map<String, String> env = new LinkedHashMap<>();
    AllocDir dir = launch.dir();
    env.put("NOMAD_ALLOC_DIR", dir.shared().toString());
    env.put("NOMAD_TASK_DIR", dir.local(task.name()).toString());
    env.put("NOMAD_SECRETS_DIR", dir.secrets(task.name()).toString());
    env.put("NOMAD_ALLOC_ID", launch.allocId());
    env.put("NOMAD_SHORT_ALLOC_ID", launch.allocId().substring(0, 8));
    env.put("NOMAD_ALLOC_NAME", launch.allocName());
    env.put("NOMAD_ALLOC_INDEX", Integer.toString(launch.allocIndex()));
    env.put("NOMAD_GROUP_NAME", launch.group().name());
    env.put("NOMAD_TASK_NAME", task.name());
    env.put("NOMAD_JOB_ID", launch.job().id());
    env.put("NOMAD_JOB_NAME", launch.job().name());
    env.put("NOMAD_NAMESPACE", launch.job().namespace());
    env.put("NOMAD_REGION", launch.node().region());
    env.put("NOMAD_DC", launch.node().datacenter());
    env.put("NOMAD_CPU_LIMIT", Integer.toString(task.cpuMhz()));
    env.put("NOMAD_MEMORY_LIMIT", Integer.toString(task.memoryMb()));
    String ip = launch.node().address();
    launch
        .ports()
        .forEach(
            (label, port) -> {
              String key = envKey(label);
              env.put("NOMAD_PORT_" + key, port.toString());
              env.put("NOMAD_HOST_PORT_" + key, port.toString());
              env.put("NOMAD_IP_" + key, ip);
              env.put("NOMAD_HOST_IP_" + key, ip);
              env.put("NOMAD_ADDR_" + key, ip + ":" + port);
              env.put("NOMAD_HOST_ADDR_" + key, ip + ":" + port);
            });
    Map<String, String> meta = new LinkedHashMap<>(launch.job().meta());
    meta.putAll(launch.group().meta());
    meta.putAll(task.meta());
    meta.forEach(
        (k, v) -> {
          env.put("NOMAD_META_" + k, v);
          env.put("NOMAD_META_" + envKey(k).toUpperCase(Locale.ROOT), v);
        });
    TaskEnvironment base = new TaskEnvironment(launch, env);
    // The task's Env may refer to Nomad's variables and to each other's earlier values.
    task.env().forEach((k, v) -> env.put(k, base.interpolate(v)));
    return base;
  }

  /** Nomad turns characters that cannot appear in a variable name into underscores. */
  private static String envKey(String label) {
    return label.replaceAll("[^A-Za-z0-9_]", "_");
  }

  Map<String, String> variables() {
    return Map.copyOf(variables);
  }

  /** Replaces every {@code ${…}} Nomad would resolve; unknown references stay as written. */
  String interpolate(String text) {
    Matcher m = REFERENCE.matcher(text);
    StringBuilder out = new StringBuilder();
    while (m.find()) {
      String value = resolve(m.group(1).trim());
      m.appendReplacement(out, Matcher.quoteReplacement(value == null ? m.group() : value));
    }
    m.appendTail(out);
    return out.toString();
  }

  private String resolve(String reference) {
    if (variables.containsKey(reference)) {
      return variables.get(reference);
    }
    AllocLaunch.NodeIdentity node = launch.node();
    switch (reference) {
      case "node.unique.id":
        return node.id();
      case "node.unique.name":
        return node.name();
      case "node.datacenter":
        return node.datacenter();
      case "node.region":
        return node.region();
      case "attr.unique.network.ip-address":
        return node.address();
      case "attr.kernel.name":
        return "linux";
      default:
        break;
    }
    if (reference.startsWith("meta.")) {
      return variables.get("NOMAD_META_" + reference.substring(5));
    }
    if (reference.startsWith("env.")) {
      return variables.get(reference.substring(4));
    }
    return null;
  }
}
