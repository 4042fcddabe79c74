package dev.reviewapps.devstack.nomad.exec;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory layout Nomad gives an allocation: {@code alloc/} shared by its tasks (with {@code
 * logs/}, {@code data/}, {@code tmp/}) and one directory per task with {@code local/}, {@code
 * secrets/} and {@code tmp/}.
 *
 * @param root the allocation's directory, named after its ID
 */
public record AllocDir(Path root) {
  /** {@code NOMAD_ALLOC_DIR}. */
  public Path shared() {
    return root.resolve("alloc");
  }

  /** The task's working directory. */
  public Path task(String task) {
    return root.resolve(task);
  }

  /** {@code NOMAD_TASK_DIR}. */
  public Path local(String task) {
    return task(task).resolve("local");
  }

  /** {@code NOMAD_SECRETS_DIR}. */
  public Path secrets(String task) {
    return task(task).resolve("secrets");
  }

  /** Where a task's output goes, as Nomad's logmon names it: {@code <task>.<stdout|stderr>.0}. */
  public Path log(String task, String type) {
    return shared().resolve("logs").resolve(task + "." + type + ".0");
  }

  /** Creates the directories of the allocation and of the given tasks. */
  void create(Iterable<String> tasks) throws IOException {
    for (String sub : new String[] {"logs", "data", "tmp"}) {
      Files.createDirectories(shared().resolve(sub));
    }
    for (String task : tasks) {
      Files.createDirectories(local(task));
      Files.createDirectories(secrets(task));
      Files.createDirectories(task(task).resolve("tmp"));
    }
  }
}
