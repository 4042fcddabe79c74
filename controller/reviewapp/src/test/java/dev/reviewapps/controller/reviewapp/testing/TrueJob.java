package dev.reviewapps.controller.reviewapp.testing;

import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import java.util.List;
import java.util.Map;

/** A batch job whose one task runs {@code /bin/true}: a stand-in for jobs someone else made. */
public final class TrueJob {
  private TrueJob() {}

  /** Job {@code id} with {@code meta}, its group and task named {@code group}. */
  public static Job of(String id, Map<String, String> meta, String group) {
    return new Job()
        .setId(id)
        .setName(id)
        .setType("batch")
        .setDatacenters(List.of("dc1"))
        .setMeta(meta)
        .addTaskGroups(
            new TaskGroup()
                .setName(group)
                .setCount(1)
                .addTasks(
                    new Task()
                        .setName(group)
                        .setDriver("raw_exec")
                        .addConfig("command", "/bin/true")));
  }
}
