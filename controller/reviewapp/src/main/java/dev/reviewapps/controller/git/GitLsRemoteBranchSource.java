package dev.reviewapps.controller.git;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Lists branches with {@code git ls-remote --heads}, which works against any remote Git speaks to:
 * a path, {@code file://}, SSH or HTTPS. The process is bounded in time and never prompts.
 */
public final class GitLsRemoteBranchSource implements BranchSource {
  private static final String HEADS = "refs/heads/";

  private final String remote;
  private final Duration timeout;
  private final String gitExecutable;

  /**
   * @param remote the repository as {@code git ls-remote} takes it; may carry credentials, which
   *     never appear in messages
   * @param timeout how long the listing may take before it counts as failed
   */
  public GitLsRemoteBranchSource(String remote, Duration timeout) {
    this(remote, timeout, "git");
  }

  GitLsRemoteBranchSource(String remote, Duration timeout, String gitExecutable) {
    this.remote = remote;
    this.timeout = timeout;
    this.gitExecutable = gitExecutable;
  }

  @Override
  public Set<String> branches() throws BranchListingException {
    ProcessBuilder builder =
        new ProcessBuilder(List.of(gitExecutable, "ls-remote", "--heads", "--", remote));
    Map<String, String> env = builder.environment();
    // A missing credential must fail, not wait for a password prompt that nobody answers.
    env.put("GIT_TERMINAL_PROMPT", "0");
    env.put("GIT_SSH_COMMAND", "ssh -o BatchMode=yes");
    builder.directory(Path.of(System.getProperty("java.io.tmpdir")).toFile());
    Process process;
    try {
      process = builder.start();
    } catch (IOException e) {
      throw new BranchListingException("cannot run git: " + e.getMessage(), e);
    }
    CompletableFuture<String> stdout = readAsync(process.getInputStream());
    CompletableFuture<String> stderr = readAsync(process.getErrorStream());
    try {
      if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        throw new BranchListingException(
            "git ls-remote " + describe() + " did not finish within " + timeout);
      }
      if (process.exitValue() != 0) {
        throw new BranchListingException(
            "git ls-remote "
                + describe()
                + " failed (exit "
                + process.exitValue()
                + "): "
                + Redaction.redact(stderr.get(5, TimeUnit.SECONDS).strip(), remote));
      }
      return parse(stdout.get(5, TimeUnit.SECONDS));
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new BranchListingException("interrupted while listing " + describe(), e);
    } catch (ExecutionException | TimeoutException e) {
      throw new BranchListingException("cannot read git's output for " + describe(), e);
    }
  }

  /** Parses {@code <sha>\trefs/heads/<branch>} lines. */
  static Set<String> parse(String output) throws BranchListingException {
    Set<String> branches = new HashSet<>();
    for (String line : output.split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      int tab = line.indexOf('\t');
      String ref = tab < 0 ? "" : line.substring(tab + 1).strip();
      if (!ref.startsWith(HEADS)) {
        throw new BranchListingException("unexpected line from git ls-remote: " + line);
      }
      branches.add(ref.substring(HEADS.length()));
    }
    return Set.copyOf(branches);
  }

  @Override
  public String describe() {
    return Redaction.redact(remote);
  }

  // One thread per stream: the common pool may have a single thread on a small machine, and two
  // blocking reads queued on it could stall git on a full pipe.
  private static CompletableFuture<String> readAsync(InputStream in) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread reader =
        new Thread(
            () -> {
              try (in) {
                text.complete(new String(in.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(e);
              }
            },
            "git-ls-remote-output");
    reader.setDaemon(true);
    reader.start();
    return text;
  }
}
