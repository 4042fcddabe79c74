package dev.reviewapps.controller.reviewapp.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A real bare Git repository, as a Git host keeps one, and a clone that pushes branches to it and
 * deletes them: what {@code git ls-remote} lists in branch-source and garbage-collection tests.
 */
public final class BareRepository {
  private final Path bare;
  private final Path work;

  private BareRepository(Path bare, Path work) {
    this.bare = bare;
    this.work = work;
  }

  /** A bare repository under {@code dir} with branch {@code main} and the given branches pushed. */
  public static BareRepository create(Path dir, String... branches)
      throws IOException, InterruptedException {
    BareRepository repository = new BareRepository(dir.resolve("shop.git"), dir.resolve("work"));
    git(dir, "init", "--quiet", "--bare", repository.bare.toString());
    git(dir, "init", "--quiet", "-b", "main", repository.work.toString());
    Files.writeString(repository.work.resolve("README"), "shop\n");
    git(repository.work, "add", "README");
    git(
        repository.work,
        "-c",
        "user.name=ci",
        "-c",
        "user.email=ci@example.com",
        "commit",
        "-qm",
        "first");
    repository.push("main");
    repository.push(branches);
    return repository;
  }

  /** The bare repository's path, a remote for {@code git ls-remote}. */
  public Path path() {
    return bare;
  }

  /** Creates the branches in the clone where missing, and pushes them. */
  public void push(String... branches) throws IOException, InterruptedException {
    if (branches.length == 0) {
      return;
    }
    List<String> push = new ArrayList<>(List.of("push", "--quiet", bare.toString()));
    for (String branch : branches) {
      if (!branch.equals("main")) {
        git(work, "branch", "--force", branch);
      }
      push.add(branch);
    }
    git(work, push.toArray(String[]::new));
  }

  /** Deletes the branches on the bare repository, as a merged pull request does. */
  public void delete(String... branches) throws IOException, InterruptedException {
    List<String> delete = new ArrayList<>(List.of("push", "--quiet", bare.toString(), "--delete"));
    delete.addAll(List.of(branches));
    git(work, delete.toArray(String[]::new));
  }

  private static void git(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
