package dev.reviewapps.controller.reviewapp.nomad;

import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.NetworkResource;
import com.hashicorp.nomad.apimodel.Port;
import com.hashicorp.nomad.apimodel.ReschedulePolicy;
import com.hashicorp.nomad.apimodel.Resources;
import com.hashicorp.nomad.apimodel.RestartPolicy;
import com.hashicorp.nomad.apimodel.Service;
import com.hashicorp.nomad.apimodel.ServiceCheck;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import com.hashicorp.nomad.apimodel.UpdateStrategy;
import com.hashicorp.nomad.javasdk.NomadJson;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.reviewapp.naming.ShortHash;
import dev.reviewapps.model.naming.ResourceNames;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Builds the Nomad jobs of one review app, as nomad-sdk objects, from its spec. Pure: no I/O.
 *
 * <ul>
 *   <li>the service job {@code <name>}: groups {@code redis} (when the spec asks for Redis), {@code
 *       web} (count from the spec, dynamic port {@code http}, an HTTP health check) and {@code
 *       worker} (when the spec has one);
 *   <li>the batch job {@code <name>.migrate.<release>} for each release (image and commit);
 *   <li>the batch job {@code <name>.seed.<release>}, until one succeeds (then never again);
 *   <li>the batch job {@code <name>.predestroy}, run when the app is torn down.
 * </ul>
 *
 * Every job carries {@code Meta} naming the app ({@code review-app}); the groups that change with a
 * release (and batch jobs) carry the commit, the release and {@code spec-hash}, a digest of the job
 * itself, so that the reconciler can tell whether the registered job is already this one without
 * diffing Nomad's normalised copy.
 */
public final class ReviewAppJobs {

  /** The Meta key naming the app: the tag every review-app resource carries. */
  public static final String META_APP = "review-app";

  /**
   * Job Meta key naming the review-apps installation (controller instance) that made the job: two
   * installations sharing a Nomad namespace never touch each other's jobs.
   */
  public static final String META_INSTANCE = "review-apps-instance";

  /** The instance of an installation that configures none. */
  public static final String DEFAULT_INSTANCE = "review-apps";

  /** The Meta key of the digest of the job as built. */
  public static final String META_SPEC_HASH = "spec-hash";

  /** The dynamic port label of the web group: the route points at it. */
  public static final String HTTP_PORT = "http";

  /** The dynamic port label of the Redis group. */
  public static final String REDIS_PORT = "redis";

  private final Settings settings;
  private final String instance;

  public ReviewAppJobs(Settings settings) {
    this(settings, DEFAULT_INSTANCE);
  }

  /** Jobs marked as made by the installation {@code instance}. */
  public ReviewAppJobs(Settings settings, String instance) {
    this.settings = settings;
    this.instance = instance;
  }

  /**
   * Where and how jobs run.
   *
   * @param datacenters the Nomad datacenters jobs may be placed in
   * @param driver docker or raw_exec
   * @param redis the resources of the Redis task
   * @param release the resources of a migrate or seed task
   * @param healthInterval how often Nomad checks the web process
   * @param healthTimeout how long one check may take
   * @param webShutdownDelay how long a replaced web allocation keeps running after Nomad told it to
   *     stop (the group's {@code shutdown_delay}): the route still points at it until the new
   *     release's web allocations pass their check, so in-flight requests finish
   * @param webHealthyDeadline how long a new release's web allocations (started beside the old ones
   *     as canaries) may take to pass their check before the deployment fails and the old release
   *     serves on
   */
  public record Settings(
      List<String> datacenters,
      TaskDriver driver,
      Footprint redis,
      Footprint release,
      Duration healthInterval,
      Duration healthTimeout,
      Duration webShutdownDelay,
      Duration webHealthyDeadline) {
    public Settings {
      datacenters = List.copyOf(datacenters);
    }

    /**
     * dc1, the given driver, small Redis and release tasks, a check every 5 s, no shutdown delay
     * (the configuration's default is 30 s; tests that do not deploy twice need none).
     */
    public static Settings defaults(TaskDriver driver) {
      return new Settings(
          List.of("dc1"),
          driver,
          new Footprint(100, 64),
          new Footprint(200, 256),
          Duration.ofSeconds(5),
          Duration.ofSeconds(2),
          Duration.ZERO,
          Duration.ofMinutes(5));
    }
  }

  /**
   * A short digest of the image and the commit: a new value of either is a new release, which
   * migrates again.
   */
  public static String releaseKey(ReviewAppSpec spec) {
    return ShortHash.of(spec.image() + "\n" + spec.commit(), 10);
  }

  /**
   * The service job. Without {@code processes} it holds only the Redis group: web and worker are
   * added once the migration has run, so they never start against an old schema.
   */
  public Job serviceJob(AppRelease release, boolean processes) {
    return serviceJob(release, processes, false);
  }

  /**
   * The service job of a sleeping app: web and worker are there with count 0 (Nomad stops their
   * allocations), Redis runs on unchanged and keeps its data.
   */
  public Job sleepingServiceJob(AppRelease release) {
    return serviceJob(release, true, true);
  }

  /**
   * The service job with its Redis group alone, as {@link #serviceJob(AppRelease, boolean)} without
   * processes: it needs only the app's Redis password, not its database, so that Redis can start
   * while the database is still being made.
   */
  public Job redisJob(String app, ReviewAppSpec spec, Optional<String> redisPassword) {
    List<TaskGroup> groups = new ArrayList<>();
    spec.redis().ifPresent(redis -> groups.add(redisGroup(redis.image(), redisPassword)));
    return job(ResourceNames.of(app).serviceJob(), "service", app, Map.of(), groups);
  }

  private Job serviceJob(AppRelease release, boolean processes, boolean asleep) {
    ReviewAppSpec spec = release.spec();
    List<TaskGroup> groups = new ArrayList<>();
    spec.redis().ifPresent(redis -> groups.add(redisGroup(redis.image(), release.redisPassword())));
    if (processes) {
      TaskGroup web = webGroup(release, spec.processes().web());
      groups.add(asleep ? web.setCount(0) : web);
      spec.processes()
          .worker()
          .ifPresent(
              worker ->
                  groups.add(
                      group(
                          TaskRole.WORKER,
                          asleep ? 0 : worker.count(),
                          task(TaskRole.WORKER, release, worker.command(), footprint(worker)))));
    }
    return job(
        ResourceNames.of(release.name()).serviceJob(),
        "service",
        release.name(),
        releaseMeta(release),
        groups);
  }

  /** The migrate batch job of the spec's release. */
  public Job migrateJob(AppRelease release, String command) {
    return batchJob(
        ResourceNames.of(release.name()).migrateJob(releaseKey(release.spec())),
        TaskRole.MIGRATE,
        release,
        command);
  }

  /** The seed batch job of the spec's release. */
  public Job seedJob(AppRelease release, String command) {
    return batchJob(
        ResourceNames.of(release.name()).seedJob(releaseKey(release.spec())),
        TaskRole.SEED,
        release,
        command);
  }

  /**
   * The predestroy batch job, run before the app's database goes; {@code release} carries the last
   * applied spec, the database and (while it still runs) the app's Redis.
   */
  public Job predestroyJob(AppRelease release, String command) {
    return batchJob(
        ResourceNames.of(release.name()).predestroyJob(), TaskRole.PREDESTROY, release, command);
  }

  private Job batchJob(String id, TaskRole role, AppRelease release, String command) {
    return job(
        id,
        "batch",
        release.name(),
        releaseMeta(release),
        List.of(batchGroup(role, release, command)));
  }

  /** The {@code spec-hash} a built job carries (on its process groups, or on the job). */
  public static String specHash(Job job) {
    return job.getTaskGroups().stream()
        .filter(g -> g.getMeta() != null && g.getMeta().containsKey(META_SPEC_HASH))
        .map(g -> g.getMeta().get(META_SPEC_HASH))
        .findFirst()
        .orElseGet(() -> job.getMeta().getOrDefault(META_SPEC_HASH, ""));
  }

  /** The CPU and memory of every allocation the service job asks for: what capacity packs. */
  public List<Footprint> allocations(ReviewAppSpec spec) {
    return allocations(spec, false);
  }

  /** The same for an app that may sleep: asleep, only Redis asks for anything. */
  public List<Footprint> allocations(ReviewAppSpec spec, boolean asleep) {
    return allocations(spec, asleep, spec.processes().web().count());
  }

  /**
   * The same with {@code webAllocations} web allocations instead of the spec's count: during a
   * rollout the old release's web runs beside the new one's until the promotion.
   */
  public List<Footprint> allocations(ReviewAppSpec spec, boolean asleep, int webAllocations) {
    List<Footprint> all = new ArrayList<>();
    spec.redis().ifPresent(r -> all.add(settings.redis()));
    if (asleep) {
      return all;
    }
    ProcessSpec web = spec.processes().web();
    for (int i = 0; i < webAllocations; i++) {
      all.add(footprint(web));
    }
    spec.processes()
        .worker()
        .ifPresent(
            w -> {
              for (int i = 0; i < w.count(); i++) {
                all.add(footprint(w));
              }
            });
    return all;
  }

  /**
   * @param releaseMeta commit and release, on a batch job and on the process groups of a service
   *     job
   */
  private Job job(
      String id, String type, String app, Map<String, String> releaseMeta, List<TaskGroup> groups) {
    // Job-level Meta stays the same from one release to the next: Nomad (and the stand-in)
    // replace every allocation when it changes, and Redis must survive a deploy in place.
    Map<String, String> meta = new TreeMap<>();
    meta.put(META_APP, app);
    meta.put(META_INSTANCE, instance);
    if (type.equals("batch")) {
      meta.putAll(releaseMeta);
    }
    Job job =
        new Job()
            .setId(id)
            .setName(id)
            .setType(type)
            .setDatacenters(settings.datacenters())
            .setTaskGroups(groups)
            .setMeta(meta);
    // The digest covers the whole job (environment included) before the digest itself is added.
    // A batch job carries it itself; a service job on its process groups, which a release
    // replaces anyway (on the job or the Redis group it would replace Redis too). A Redis-only
    // service job carries none: it is only ever checked for being there.
    String hash = ShortHash.of(NomadJson.serialize(job), 16);
    if (type.equals("batch")) {
      meta.put(META_SPEC_HASH, hash);
    }
    for (TaskGroup group : groups) {
      if (!group.getName().equals(TaskRole.REDIS.label()) && type.equals("service")) {
        Map<String, String> groupMeta = new TreeMap<>(releaseMeta);
        groupMeta.put(META_SPEC_HASH, hash);
        group.setMeta(groupMeta);
      }
    }
    return job;
  }

  private static Map<String, String> releaseMeta(AppRelease release) {
    return Map.of("commit", release.spec().commit(), "release", releaseKey(release.spec()));
  }

  /**
   * Redis requires the app's password (REDIS_PASSWORD, read by the driver's command): whoever else
   * reaches its port, another app's task included, cannot use it.
   */
  private TaskGroup redisGroup(String image, Optional<String> password) {
    Map<String, String> env = new LinkedHashMap<>();
    password.ifPresent(p -> env.put("REDIS_PASSWORD", p));
    Task task =
        new Task()
            .setName(TaskRole.REDIS.label())
            .setDriver(settings.driver().name())
            .setConfig(settings.driver().config(TaskRole.REDIS, image, ""))
            .setEnv(env)
            .setResources(resources(settings.redis()));
    return group(TaskRole.REDIS, 1, task).setNetworks(List.of(network(REDIS_PORT)));
  }

  private TaskGroup webGroup(AppRelease release, ProcessSpec web) {
    Task task = task(TaskRole.WEB, release, web.command(), footprint(web));
    // Nomad interpolates these in the environment: the process binds what was allocated.
    task.getEnv().put("PORT", "${NOMAD_PORT_" + HTTP_PORT + "}");
    task.getEnv().put("HOST", settings.driver().bindHost(HTTP_PORT));
    ServiceCheck check =
        new ServiceCheck()
            .setName(release.name() + "-web-health")
            .setType("http")
            .setProtocol("http")
            .setPath(web.healthPath().orElse("/"))
            .setPortLabel(HTTP_PORT)
            .setInterval(settings.healthInterval().toNanos())
            .setTimeout(settings.healthTimeout().toNanos());
    Service service =
        new Service()
            .setName(release.name() + "-web")
            .setPortLabel(HTTP_PORT)
            .setTags(List.of(META_APP + "=" + release.name()))
            .setChecks(List.of(check));
    // Blue/green as Nomad documents it: every new release starts its web allocations beside the
    // old ones (canary = count); the web step promotes them once all pass their check, and only
    // then does Nomad stop the old ones (after shutdown_delay, for requests in flight). A release
    // that never passes fails the deployment and leaves the old one serving.
    UpdateStrategy update =
        new UpdateStrategy()
            .setMaxParallel(Math.max(1, web.count()))
            .setCanary(web.count())
            .setAutoPromote(false)
            .setAutoRevert(false)
            .setHealthCheck("checks")
            .setMinHealthyTime(0L)
            .setHealthyDeadline(settings.webHealthyDeadline().toNanos())
            .setProgressDeadline(settings.webHealthyDeadline().plusMinutes(1).toNanos());
    return group(TaskRole.WEB, web.count(), task)
        .setNetworks(List.of(network(HTTP_PORT)))
        .setServices(List.of(service))
        .setShutdownDelay(settings.webShutdownDelay().toNanos())
        .setUpdate(update);
  }

  private TaskGroup batchGroup(TaskRole role, AppRelease release, String command) {
    // A failed release command is reported, not retried for ever: one restart, no reschedule.
    TaskGroup group =
        group(role, 1, task(role, release, command, settings.release()))
            .setRestartPolicy(
                new RestartPolicy()
                    .setAttempts(1)
                    .setDelay(Duration.ofSeconds(5).toNanos())
                    .setInterval(Duration.ofMinutes(10).toNanos())
                    .setMode("fail"));
    return group.setReschedulePolicy(new ReschedulePolicy().setAttempts(0).setUnlimited(false));
  }

  private static TaskGroup group(TaskRole role, int count, Task task) {
    return new TaskGroup().setName(role.label()).setCount(count).setTasks(List.of(task));
  }

  private Task task(TaskRole role, AppRelease release, String command, Footprint footprint) {
    return new Task()
        .setName(role.label())
        .setDriver(settings.driver().name())
        .setConfig(settings.driver().config(role, release.spec().image(), command))
        .setEnv(environment(release))
        .setResources(resources(footprint));
  }

  /** The spec's env first, so that what the controller sets cannot be overridden by it. */
  private static Map<String, String> environment(AppRelease release) {
    ReviewAppSpec spec = release.spec();
    Map<String, String> env = new LinkedHashMap<>(new TreeMap<>(spec.env()));
    env.put("DATABASE_URL", release.databaseUrl());
    release.redisUrl().ifPresent(url -> env.put("REDIS_URL", url));
    env.put("REVIEW_APP_NAME", release.name());
    env.put("REVIEW_APP_BRANCH", spec.branch());
    env.put("REVIEW_APP_COMMIT", spec.commit());
    return env;
  }

  /** A dynamic host port; under bridge networking mapped to the driver's port in the task. */
  private NetworkResource network(String portLabel) {
    Port port = new Port().setLabel(portLabel);
    settings.driver().taskPort(portLabel).ifPresent(port::setTo);
    return new NetworkResource().setDynamicPorts(List.of(port));
  }

  private static Resources resources(Footprint footprint) {
    return new Resources().setCpu(footprint.cpuMhz()).setMemoryMb(footprint.memoryMb());
  }

  private static Footprint footprint(ProcessSpec process) {
    return new Footprint(process.cpuMhz(), process.memoryMb());
  }
}
