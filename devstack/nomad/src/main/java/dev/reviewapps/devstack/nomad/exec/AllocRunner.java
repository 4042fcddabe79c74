package dev.reviewapps.devstack.nomad.exec;

import dev.reviewapps.devstack.nomad.job.TaskSpec;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Runs the tasks of one allocation in Nomad's lifecycle order: {@code prestart} tasks first (the
 * main tasks wait until the non-sidecar ones have finished successfully), then the main tasks, then
 * {@code poststart} once the main tasks run, and {@code poststop} once they are dead. A failed task
 * or a dead leader stops its siblings; sidecars stop when the main tasks are done.
 */
public final class AllocRunner {
  private final AllocLaunch launch;
  private final Map<String, TaskRun> tasks = new LinkedHashMap<>();
  private final Runnable changed;
  private final ScheduledExecutorService timer;
  private boolean mainLaunched;
  private boolean poststartLaunched;
  private boolean poststopLaunched;
  private boolean stopping;

  /**
   * @param launch the allocation to run
   * @param images docker image mappings, possibly empty
   * @param timer runs restart delays and kill timeouts
   * @param changed called, without locks held, whenever a task's state changed
   */
  public AllocRunner(
      AllocLaunch launch,
      List<ImageCommand> images,
      ScheduledExecutorService timer,
      Runnable changed) {
    this.launch = launch;
    this.changed = changed;
    this.timer = timer;
    TaskRun.Listener listener = new TaskRun.Listener(changed, this::taskStarted, this::taskDead);
    for (TaskSpec task : launch.group().tasks()) {
      tasks.put(task.name(), new TaskRun(launch, task, images, timer, listener));
    }
  }

  public AllocLaunch launch() {
    return launch;
  }

  /** Creates the allocation directory and starts the first tasks. */
  public void start() {
    try {
      launch.dir().create(tasks.keySet());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + launch.dir().root(), e);
    }
    tasks.values().forEach(TaskRun::received);
    List<TaskRun> first = select(t -> hook(t).equals("prestart"));
    if (first.isEmpty() || first.stream().allMatch(t -> t.spec().lifecycle().get().sidecar())) {
      synchronized (this) {
        mainLaunched = true;
      }
      first = new ArrayList<>(first);
      first.addAll(select(t -> hook(t).isEmpty()));
    }
    changed.run();
    first.forEach(TaskRun::launch);
  }

  /**
   * Stops every task after the group's {@code shutdown_delay}: Nomad deregisters the services first
   * and waits that long before the kill signal, so that clients still routed to the allocation are
   * served while traffic moves elsewhere. The future completes when all are dead.
   */
  public CompletableFuture<Void> stop() {
    Duration delay = launch.group().shutdownDelay();
    synchronized (this) {
      if (stopping) {
        return whenDead();
      }
      stopping = true;
    }
    if (delay.isZero()) {
      killAll();
    } else {
      tasks.values().forEach(t -> t.waitingForShutdownDelay(delay));
      changed.run();
      timer.schedule(this::killAll, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
    return whenDead();
  }

  /** Stops every task at once, without the shutdown delay (server shutdown). */
  public CompletableFuture<Void> stopNow() {
    synchronized (this) {
      stopping = true;
    }
    killAll();
    return whenDead();
  }

  private void killAll() {
    tasks.values().forEach(t -> t.kill(Optional.empty()));
  }

  /** Completes when every task is dead. */
  public CompletableFuture<Void> whenDead() {
    return CompletableFuture.allOf(
        tasks.values().stream().map(TaskRun::deadFuture).toArray(CompletableFuture[]::new));
  }

  /** Kills every process at once (server shutdown after the grace period). */
  public void killNow() {
    tasks.values().forEach(TaskRun::killNow);
  }

  /** A snapshot of each task's state, in task order. */
  public Map<String, TaskState> taskStates() {
    Map<String, TaskState> states = new LinkedHashMap<>();
    tasks.forEach((name, run) -> states.put(name, run.snapshot()));
    return states;
  }

  /** Process IDs of the tasks that run now (each is its task's session ID). */
  public Map<String, Long> pids() {
    Map<String, Long> pids = new LinkedHashMap<>();
    tasks.forEach((name, run) -> run.pid().ifPresent(pid -> pids.put(name, pid)));
    return pids;
  }

  /** Whether every main task runs now (what service checks and health wait for). */
  public boolean mainTasksRunning() {
    List<TaskRun> main = select(t -> hook(t).isEmpty());
    return !main.isEmpty() && main.stream().allMatch(TaskRun::isRunning);
  }

  private void taskStarted(TaskRun task) {
    List<TaskRun> launchNow = List.of();
    synchronized (this) {
      if (!stopping && !poststartLaunched && mainTasksRunning()) {
        poststartLaunched = true;
        launchNow = select(t -> hook(t).equals("poststart"));
      }
    }
    launchNow.forEach(TaskRun::launch);
  }

  private void taskDead(TaskRun task) {
    List<Runnable> actions = new ArrayList<>();
    synchronized (this) {
      if (stopping) {
        return;
      }
      String hook = hook(task);
      boolean prestartDone = hook.equals("prestart") && !task.spec().lifecycle().get().sidecar();
      if (task.hasFailed() && !hook.equals("poststop")) {
        Optional<TaskEvent> cause =
            Optional.of(
                new TaskEvent(
                    "Sibling Task Failed",
                    TaskEvent.nowNanos(),
                    "Task's sibling \"" + task.name() + "\" failed",
                    0,
                    0,
                    true,
                    0,
                    Map.of("failed_sibling", task.name())));
        // A failed task fails the allocation: its siblings are stopped, poststop still runs.
        select(t -> t != task && !hook(t).equals("poststop"))
            .forEach(t -> actions.add(() -> t.kill(cause)));
        mainLaunched = true;
      } else if (task.spec().leader()) {
        Optional<TaskEvent> cause =
            Optional.of(TaskEvent.of("Leader Task Dead", "Leader Task in Group dead"));
        select(t -> t != task && !hook(t).equals("poststop"))
            .forEach(t -> actions.add(() -> t.kill(cause)));
      } else if (prestartDone && !mainLaunched) {
        boolean allDone =
            select(t -> hook(t).equals("prestart") && !t.spec().lifecycle().get().sidecar())
                .stream()
                .allMatch(TaskRun::isDead);
        if (allDone) {
          mainLaunched = true;
          select(t -> hook(t).isEmpty()).forEach(t -> actions.add(t::launch));
        }
      }
      boolean mainDone =
          mainLaunched && select(t -> hook(t).isEmpty()).stream().allMatch(TaskRun::isDead);
      if (mainDone && !poststopLaunched) {
        poststopLaunched = true;
        // Sidecars and poststart tasks live only as long as the main tasks.
        select(t -> !hook(t).isEmpty() && !hook(t).equals("poststop"))
            .forEach(t -> actions.add(() -> t.kill(Optional.empty())));
        select(t -> hook(t).equals("poststop")).forEach(t -> actions.add(t::launch));
      }
    }
    actions.forEach(Runnable::run);
  }

  private List<TaskRun> select(Predicate<TaskRun> filter) {
    return tasks.values().stream().filter(filter).toList();
  }

  private static String hook(TaskRun task) {
    return task.spec().lifecycle().map(TaskSpec.Lifecycle::hook).orElse("");
  }
}
