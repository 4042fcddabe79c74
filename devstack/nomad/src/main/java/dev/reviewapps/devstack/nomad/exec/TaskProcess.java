package dev.reviewapps.devstack.nomad.exec;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One running task process, started through {@code setsid} so that it leads a session and process
 * group of its own: signals go to the whole group, and the final kill reaches every process still
 * in the session, children of {@code sh -c} included. Processes that start a session of their own
 * (daemons) escape, as they would escape Nomad's raw_exec without cgroups.
 */
final class TaskProcess {
  private static final Logger log = LoggerFactory.getLogger(TaskProcess.class);
  private static final Path PROC = Path.of("/proc");

  /**
   * Runs the task ({@code "$0" "$@"}) in place of this shell, so its pid is the session's, with
   * stdin from {@code /dev/null}; a background watcher in the task's process group holds the pipe
   * from this JVM and kills the group when it reads end-of-file, which happens only when the JVM is
   * gone. So tasks do not outlive a JVM that dies without running its shutdown hooks (SIGKILL, or
   * surefire halting a fork whose Maven went away).
   */
  private static final String TIED_TO_THIS_JVM =
      "exec 3<&0; (read -r _ <&3; kill -KILL 0) & exec 3<&-; exec \"$0\" \"$@\" </dev/null";

  private final Process process;
  private final CompletableFuture<Integer> exit;

  private TaskProcess(Process process) {
    this.process = process;
    // When the leader ends, nothing it started may linger: Nomad's executor destroys the task's
    // process tree too.
    this.exit =
        process
            .onExit()
            .thenApply(
                p -> {
                  int code = p.exitValue();
                  killSession(p.pid());
                  return code;
                });
  }

  /** Starts {@code command} with its output appended to the given files. */
  static TaskProcess start(
      List<String> command, Path workDir, Map<String, String> env, Path stdout, Path stderr)
      throws IOException {
    List<String> argv = new ArrayList<>(command.size() + 4);
    argv.addAll(List.of("setsid", "sh", "-c", TIED_TO_THIS_JVM));
    argv.addAll(command);
    ProcessBuilder builder = new ProcessBuilder(argv).directory(workDir.toFile());
    builder.environment().putAll(env);
    // The pipe stays open, unwritten, for as long as this JVM lives; see TIED_TO_THIS_JVM.
    builder.redirectInput(ProcessBuilder.Redirect.PIPE);
    builder.redirectOutput(ProcessBuilder.Redirect.appendTo(stdout.toFile()));
    builder.redirectError(ProcessBuilder.Redirect.appendTo(stderr.toFile()));
    return new TaskProcess(builder.start());
  }

  /** The process ID, which is also its process group and session ID. */
  long pid() {
    return process.pid();
  }

  /** Completes with the exit code once the process has ended and its session is cleared. */
  CompletableFuture<Integer> exit() {
    return exit;
  }

  /** Sends a signal ({@code SIGTERM}, {@code SIGINT}, …) to the task's process group. */
  void signal(String signal) {
    String name = signal.startsWith("SIG") ? signal.substring(3) : signal;
    try {
      Process kill =
          new ProcessBuilder("kill", "-s", name, "--", "-" + pid())
              .redirectErrorStream(true)
              .redirectOutput(ProcessBuilder.Redirect.DISCARD)
              .start();
      if (kill.waitFor(5, TimeUnit.SECONDS) && kill.exitValue() == 0) {
        return;
      }
    } catch (IOException e) {
      log.debug("kill -s {} failed: {}", name, e.toString());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    // The group may be gone already; still reach any session member directly.
    sessionMembers(pid()).forEach(pid -> ProcessHandle.of(pid).ifPresent(ProcessHandle::destroy));
  }

  /** Kills, for good, every process still in the task's session. */
  void killSession() {
    killSession(pid());
  }

  private static void killSession(long sessionId) {
    for (long pid : sessionMembers(sessionId)) {
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
    }
  }

  /** Live (not zombie) processes whose session ID is {@code sessionId}, read from {@code /proc}. */
  static List<Long> sessionMembers(long sessionId) {
    List<Long> members = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(PROC, "[0-9]*")) {
      for (Path entry : entries) {
        ProcStat.read(entry)
            .filter(s -> s.session() == sessionId && !s.zombie())
            .ifPresent(s -> members.add(s.pid()));
      }
    } catch (IOException e) {
      log.debug("cannot list /proc: {}", e.toString());
    }
    return members;
  }

  /** The fields of {@code /proc/<pid>/stat} that tell session membership. */
  record ProcStat(long pid, char state, long session) {
    boolean zombie() {
      return state == 'Z' || state == 'X';
    }

    static java.util.Optional<ProcStat> read(Path procEntry) {
      try {
        String stat = Files.readString(procEntry.resolve("stat"), StandardCharsets.UTF_8);
        // The command name may hold spaces and parentheses; the fields start after the last ')'.
        String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
        return java.util.Optional.of(
            new ProcStat(
                Long.parseLong(procEntry.getFileName().toString()),
                fields[0].charAt(0),
                Long.parseLong(fields[3])));
      } catch (IOException | RuntimeException e) {
        // The process ended while we looked.
        return java.util.Optional.empty();
      }
    }
  }
}
