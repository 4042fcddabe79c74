package dev.reviewapps.controller.reviewapp.nomad;

import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * How a review app's tasks are run: {@code docker} with the spec's image in production, {@code
 * raw_exec} with command templates on devstack and in the demo, where no Docker engine runs.
 */
public sealed interface TaskDriver {

  /** The Nomad driver name. */
  String name();

  /**
   * The task's driver config for a role.
   *
   * @param image the spec's image (or the Redis image for {@link TaskRole#REDIS})
   * @param command the spec's command for the role (empty for Redis)
   */
  Map<String, Object> config(TaskRole role, String image, String command);

  /**
   * Docker in host network mode: the process binds {@code $NOMAD_IP_http:$NOMAD_PORT_http} itself,
   * exactly as under raw_exec, so the same spec runs on both.
   */
  record Docker() implements TaskDriver {
    @Override
    public String name() {
      return "docker";
    }

    @Override
    public Map<String, Object> config(TaskRole role, String image, String command) {
      if (role == TaskRole.REDIS) {
        return Map.of(
            "image",
            image,
            "network_mode",
            "host",
            "args",
            List.of("--port", "${NOMAD_PORT_redis}", "--save", "", "--appendonly", "no"));
      }
      return Map.of(
          "image",
          image,
          "network_mode",
          "host",
          "command",
          "/bin/sh",
          "args",
          List.of("-c", command));
    }
  }

  /**
   * raw_exec: each role's command is a template run by {@code /bin/sh -c}, in which {@code
   * {command}} stands for the spec's command and {@code {image}} for the image. Shell variables
   * such as {@code $NOMAD_PORT_redis} are the task environment Nomad sets.
   */
  record RawExec(Map<TaskRole, String> templates) implements TaskDriver {

    /** Redis on the allocated port and address, without persistence: a review app's cache. */
    public static final String DEFAULT_REDIS_TEMPLATE =
        "exec redis-server --port \"$NOMAD_PORT_redis\" --bind \"$NOMAD_IP_redis\""
            + " --save '' --appendonly no";

    public RawExec {
      EnumMap<TaskRole, String> all = new EnumMap<>(TaskRole.class);
      for (TaskRole role : TaskRole.values()) {
        all.put(role, role == TaskRole.REDIS ? DEFAULT_REDIS_TEMPLATE : "exec {command}");
      }
      all.putAll(Objects.requireNonNull(templates, "templates"));
      templates = Map.copyOf(all);
    }

    /** The default templates: the spec's command as it is, and a local redis-server. */
    public static RawExec withDefaults() {
      return new RawExec(Map.of());
    }

    @Override
    public String name() {
      return "raw_exec";
    }

    @Override
    public Map<String, Object> config(TaskRole role, String image, String command) {
      String script = templates.get(role).replace("{command}", command).replace("{image}", image);
      return Map.of("command", "/bin/sh", "args", List.of("-c", script));
    }
  }
}
