package dev.reviewapps.devstack.nomad.job;

import java.util.List;
import java.util.Map;

/**
 * The parts of a Nomad job the stand-in acts on.
 *
 * @param id the job ID
 * @param name the job name (defaults to the ID)
 * @param type {@code service}, {@code batch}, {@code system} or {@code sysbatch}
 * @param namespace always {@code default} unless given
 * @param priority 1 to 100
 * @param datacenters where the job may run
 * @param meta the job's {@code Meta}, exposed to tasks as {@code NOMAD_META_<key>}
 * @param groups the task groups in submission order
 */
public record JobSpec(
    String id,
    String name,
    String type,
    String namespace,
    int priority,
    List<String> datacenters,
    Map<String, String> meta,
    List<GroupSpec> groups) {

  public JobSpec {
    datacenters = List.copyOf(datacenters);
    meta = Map.copyOf(meta);
    groups = List.copyOf(groups);
  }

  /** Whether tasks of this job are expected to finish (batch) rather than run forever. */
  public boolean runsToCompletion() {
    return type.equals("batch") || type.equals("sysbatch");
  }

  /** The group of that name, if the job has one. */
  public java.util.Optional<GroupSpec> group(String groupName) {
    return groups.stream().filter(g -> g.name().equals(groupName)).findFirst();
  }
}
