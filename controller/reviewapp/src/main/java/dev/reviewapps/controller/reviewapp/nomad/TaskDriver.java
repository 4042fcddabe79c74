package dev.reviewapps.controller.reviewapp.nomad;

import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

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

  /** The address a process binds (HOST): inside its network namespace, or the allocated IP. */
  String bindHost(String portLabel);

  /** The port inside the task that a dynamic port label maps to; empty: the same as the host's. */
  Optional<Integer> taskPort(String portLabel);

  /**
   * Docker with bridge networking (Docker's default) and mapped ports: a task has its own network
   * namespace, reaches nothing on the host but through the host's address, and is reached only on
   * its mapped port. The web process binds {@code 0.0.0.0:$PORT} inside (8080), Redis 6379; Nomad
   * maps a dynamic host port to each. Blocking the metadata service and the agents' ports from the
   * bridge is the node's firewall (README, "Network isolation").
   */
  record Docker() implements TaskDriver {
    /** The port the web process listens on inside its container ({@code $PORT}). */
    public static final int WEB_PORT = 8080;

    /** Redis's own port inside its container. */
    public static final int REDIS_PORT = 6379;

    @Override
    public String name() {
      return "docker";
    }

    @Override
    public Map<String, Object> config(TaskRole role, String image, String command) {
      if (role == TaskRole.REDIS) {
        // Nomad interpolates ${REDIS_PASSWORD} from the task's env: no shell in the Redis image.
        return Map.of(
            "image",
            image,
            "ports",
            List.of(ReviewAppJobs.REDIS_PORT),
            "args",
            List.of(
                "--port",
                Integer.toString(REDIS_PORT),
                "--save",
                "",
                "--appendonly",
                "no",
                "--requirepass",
                "${REDIS_PASSWORD}"));
      }
      Map<String, Object> config = new LinkedHashMap<>();
      config.put("image", image);
      if (role == TaskRole.WEB) {
        config.put("ports", List.of(ReviewAppJobs.HTTP_PORT));
      }
      config.put("command", "/bin/sh");
      config.put("args", List.of("-c", command));
      return Map.copyOf(config);
    }

    @Override
    public String bindHost(String portLabel) {
      return "0.0.0.0";
    }

    @Override
    public Optional<Integer> taskPort(String portLabel) {
      return Optional.of(ReviewAppJobs.REDIS_PORT.equals(portLabel) ? REDIS_PORT : WEB_PORT);
    }
  }

  /**
   * raw_exec: each role's command is a template run by {@code /bin/sh -c}, in which {@code
   * {command}} stands for the spec's command and {@code {image}} for the image. Shell variables
   * such as {@code $NOMAD_PORT_redis} are the task environment Nomad sets.
   */
  record RawExec(Map<TaskRole, String> templates) implements TaskDriver {

    /**
     * Redis on the allocated port and address, without persistence (a review app's cache), with the
     * app's password (empty only in tests that build jobs without credentials).
     */
    public static final String DEFAULT_REDIS_TEMPLATE =
        "exec redis-server --port \"$NOMAD_PORT_redis\" --bind \"$NOMAD_IP_redis\""
            + " --save '' --appendonly no --requirepass \"${REDIS_PASSWORD:-}\"";

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

    /** raw_exec shares the host's network: bind the allocated address only. */
    @Override
    public String bindHost(String portLabel) {
      return "${NOMAD_IP_" + portLabel + "}";
    }

    @Override
    public Optional<Integer> taskPort(String portLabel) {
      return Optional.empty();
    }
  }
}
