package dev.reviewapps.devstack.nomad.exec;

import dev.reviewapps.devstack.nomad.job.RestartPolicy;
import dev.reviewapps.devstack.nomad.job.TaskSpec;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One task of a running allocation: launches its process, follows its exits through the restart
 * policy, and kills it. State changes are reported through callbacks that run outside this object's
 * lock.
 */
final class TaskRun {
  private static final Logger log = LoggerFactory.getLogger(TaskRun.class);
  private static final int MAX_EVENTS = 10;

  /** How to react when the task changes; each callback runs without any lock held. */
  record Listener(Runnable changed, Consumer<TaskRun> started, Consumer<TaskRun> dead) {}

  private final AllocLaunch launch;
  private final TaskSpec task;
  private final RestartPolicy restart;
  private final boolean runsToCompletion;
  private final List<ImageCommand> images;
  private final ScheduledExecutorService timer;
  private final Listener listener;

  private String state = "pending";
  private boolean failed;
  private int restarts;
  private Optional<Instant> lastRestart = Optional.empty();
  private Optional<Instant> startedAt = Optional.empty();
  private Optional<Instant> finishedAt = Optional.empty();
  private final List<TaskEvent> events = new ArrayList<>();
  private Optional<TaskProcess> process = Optional.empty();
  private Optional<ScheduledFuture<?>> pendingRestart = Optional.empty();
  private final Deque<Instant> restartWindow = new ArrayDeque<>();
  private boolean stopping;
  private final CompletableFuture<Void> deadFuture = new CompletableFuture<>();

  TaskRun(
      AllocLaunch launch,
      TaskSpec task,
      List<ImageCommand> images,
      ScheduledExecutorService timer,
      Listener listener) {
    this.launch = launch;
    this.task = task;
    this.restart = task.restart().orElse(launch.group().restart());
    // Prestart and poststop tasks that are not sidecars are expected to finish, like batch tasks.
    this.runsToCompletion =
        launch.job().runsToCompletion() || task.lifecycle().map(l -> !l.sidecar()).orElse(false);
    this.images = images;
    this.timer = timer;
    this.listener = listener;
  }

  String name() {
    return task.name();
  }

  TaskSpec spec() {
    return task;
  }

  CompletableFuture<Void> deadFuture() {
    return deadFuture;
  }

  /** Records the events Nomad's client adds when it receives the allocation. */
  synchronized void received() {
    events.add(TaskEvent.of("Received", "Task received by client"));
    events.add(TaskEvent.of("Task Setup", "Building Task Directory"));
  }

  /** Starts the task's process (first start or a restart). */
  void launch() {
    boolean started;
    TaskProcess launched = null;
    synchronized (this) {
      pendingRestart = Optional.empty();
      if (stopping || state.equals("dead")) {
        return;
      }
      try {
        List<String> command = command();
        TaskProcess p =
            TaskProcess.start(
                command,
                launch.dir().task(task.name()),
                TaskEnvironment.of(launch, task).variables(),
                launch.dir().log(task.name(), "stdout"),
                launch.dir().log(task.name(), "stderr"));
        process = Optional.of(p);
        state = "running";
        startedAt = Optional.of(Instant.now());
        addEvent(TaskEvent.of("Started", "Task started by client"));
        launched = p;
        log.info("{} task {} started as pid {}", launch.allocName(), task.name(), p.pid());
        started = true;
      } catch (IOException | IllegalStateException e) {
        String message = "failed to launch command with executor: " + e.getMessage();
        addEvent(
            new TaskEvent(
                "Driver Failure", TaskEvent.nowNanos(), message, 0, 0, true, 0, Map.of()));
        toDead(true);
        started = false;
      }
    }
    if (launched != null) {
      // Outside the lock: a process that is already gone completes this at once, and the exit
      // handling calls listeners that take other locks.
      TaskProcess p = launched;
      p.exit().thenAccept(code -> exited(p, code));
    }
    listener.changed().run();
    if (started) {
      listener.started().accept(this);
    } else {
      afterDead();
    }
  }

  private List<String> command() throws IOException {
    TaskEnvironment env = TaskEnvironment.of(launch, task);
    TaskSpec.DriverConfig config = task.config();
    List<String> args = config.args().stream().map(env::interpolate).toList();
    List<String> command = new ArrayList<>();
    if (task.driver().equals("docker")) {
      String image = config.image().orElse("");
      ImageCommand mapped =
          images.stream()
              .filter(i -> i.matches(image))
              .findFirst()
              .orElseThrow(() -> new IllegalStateException("driver \"docker\" is not available"));
      command.addAll(List.of("sh", "-c", mapped.shellCommand(), image));
      config.command().map(env::interpolate).ifPresent(command::add);
      command.addAll(args);
      String message =
          "devstack: no docker engine; image "
              + image
              + " runs as raw_exec: sh -c '"
              + mapped.shellCommand()
              + "'";
      addEvent(TaskEvent.of("Driver", message));
      log.warn("{} task {}: {}", launch.allocName(), task.name(), message);
      return command;
    }
    String executable = env.interpolate(config.command().orElse(""));
    command.add(resolve(executable, env));
    command.addAll(args);
    return command;
  }

  /** Finds the binary as Nomad's executor does: the task directory first, then {@code PATH}. */
  private String resolve(String executable, TaskEnvironment env) throws IOException {
    Path taskDir = launch.dir().task(task.name());
    if (executable.contains("/")) {
      Path candidate =
          executable.startsWith("/") ? Path.of(executable) : taskDir.resolve(executable);
      if (Files.isExecutable(candidate)) {
        return candidate.toString();
      }
      throw new IOException(
          "rpc error: code = Unknown desc = file "
              + executable
              + " not found under path "
              + taskDir);
    }
    for (Path local :
        List.of(taskDir.resolve(executable), launch.dir().local(task.name()).resolve(executable))) {
      if (Files.isRegularFile(local) && Files.isExecutable(local)) {
        return local.toString();
      }
    }
    String path = env.variables().getOrDefault("PATH", System.getenv().getOrDefault("PATH", ""));
    for (String dir : path.split(":")) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, executable))) {
        return executable;
      }
    }
    throw new IOException(
        "rpc error: code = Unknown desc = exec: \""
            + executable
            + "\": executable file not found in $PATH");
  }

  private void exited(TaskProcess p, int code) {
    boolean dead;
    boolean restarting = false;
    synchronized (this) {
      if (process.orElse(null) != p) {
        return;
      }
      process = Optional.empty();
      int signal = code > 128 ? code - 128 : 0;
      if (stopping) {
        addEvent(TaskEvent.of("Killed", "Task successfully killed"));
        toDead(false);
      } else {
        String message = "Exit Code: " + code + (signal > 0 ? ", Signal: " + signal : "");
        addEvent(
            new TaskEvent(
                "Terminated",
                TaskEvent.nowNanos(),
                message,
                code,
                signal,
                false,
                0,
                Map.of("exit_code", Integer.toString(code), "signal", Integer.toString(signal))));
        if (runsToCompletion && code == 0) {
          toDead(false);
        } else {
          restarting = scheduleRestart();
        }
      }
      dead = state.equals("dead");
    }
    listener.changed().run();
    if (dead) {
      afterDead();
    }
    if (restarting) {
      log.info("{} task {} exited with {}; restarting", launch.allocName(), task.name(), code);
    }
  }

  /** Applies the restart policy after an exit; returns whether a restart was scheduled. */
  private boolean scheduleRestart() {
    Instant now = Instant.now();
    while (!restartWindow.isEmpty()
        && restartWindow.peekFirst().isBefore(now.minus(restart.interval()))) {
      restartWindow.removeFirst();
    }
    Duration delay = restart.delay();
    if (restartWindow.size() >= restart.attempts()) {
      if (!restart.mode().equals("delay")) {
        String message =
            "Exceeded allowed attempts "
                + restart.attempts()
                + " in interval "
                + GoDuration.format(restart.interval())
                + " and mode is \"fail\"";
        addEvent(
            new TaskEvent(
                "Not Restarting", TaskEvent.nowNanos(), message, 0, 0, true, 0, Map.of()));
        toDead(true);
        return false;
      }
      // Mode "delay": wait for the interval to pass, then start counting again.
      Instant windowStart = restartWindow.isEmpty() ? now : restartWindow.peekFirst();
      delay = delay.plus(Duration.between(now, windowStart.plus(restart.interval())));
      restartWindow.clear();
    }
    restartWindow.addLast(now);
    restarts++;
    lastRestart = Optional.of(now);
    state = "pending";
    addEvent(
        new TaskEvent(
            "Restarting",
            TaskEvent.nowNanos(),
            "Task restarting in " + GoDuration.format(delay),
            0,
            0,
            false,
            delay.toNanos(),
            Map.of()));
    pendingRestart =
        Optional.of(timer.schedule(this::launch, delay.toMillis(), TimeUnit.MILLISECONDS));
    return true;
  }

  /**
   * Stops the task: the kill signal to its process group, then after {@code KillTimeout} {@code
   * SIGKILL} to whatever is left in its session.
   *
   * @param cause an event explaining why (e.g. a sibling failed), recorded before {@code Killing}
   */
  void kill(Optional<TaskEvent> cause) {
    Optional<TaskProcess> running;
    boolean deadNow = false;
    synchronized (this) {
      if (stopping || state.equals("dead")) {
        return;
      }
      stopping = true;
      cause.ifPresent(this::addEvent);
      pendingRestart.ifPresent(f -> f.cancel(false));
      pendingRestart = Optional.empty();
      running = process;
      if (running.isPresent()) {
        addEvent(
            new TaskEvent(
                "Killing",
                TaskEvent.nowNanos(),
                "Sent interrupt. Waiting "
                    + GoDuration.format(task.killTimeout())
                    + " before force killing",
                0,
                0,
                false,
                0,
                Map.of("kill_timeout", GoDuration.format(task.killTimeout()))));
      } else {
        toDead(false);
        deadNow = true;
      }
    }
    listener.changed().run();
    if (deadNow) {
      afterDead();
      return;
    }
    TaskProcess p = running.get();
    p.signal(task.killSignal());
    ScheduledFuture<?> force =
        timer.schedule(p::killSession, task.killTimeout().toMillis(), TimeUnit.MILLISECONDS);
    p.exit().whenComplete((code, e) -> force.cancel(false));
  }

  /** Records that the kill waits for the group's shutdown delay, as Nomad's task events do. */
  synchronized void waitingForShutdownDelay(Duration delay) {
    if (process.isPresent() && !stopping) {
      addEvent(
          TaskEvent.of(
              "Waiting for shutdown delay",
              "Waiting for shutdown_delay of "
                  + GoDuration.format(delay)
                  + " before killing the task."));
    }
  }

  /** Kills every process of the task at once, without the grace period (server shutdown). */
  void killNow() {
    Optional<TaskProcess> running;
    synchronized (this) {
      running = process;
    }
    running.ifPresent(TaskProcess::killSession);
  }

  synchronized TaskState snapshot() {
    return new TaskState(state, failed, restarts, lastRestart, startedAt, finishedAt, events);
  }

  synchronized boolean isDead() {
    return state.equals("dead");
  }

  synchronized boolean hasFailed() {
    return failed;
  }

  synchronized boolean isRunning() {
    return state.equals("running");
  }

  synchronized Optional<Long> pid() {
    return process.map(TaskProcess::pid);
  }

  private void toDead(boolean failure) {
    state = "dead";
    failed = failure;
    finishedAt = Optional.of(Instant.now());
  }

  /** Runs once the task is dead, outside the lock: whoever waits may take other locks. */
  private void afterDead() {
    listener.dead().accept(this);
    deadFuture.complete(null);
  }

  private void addEvent(TaskEvent event) {
    events.add(event);
    // Nomad keeps the last ten events of a task.
    while (events.size() > MAX_EVENTS) {
      events.remove(0);
    }
  }
}
