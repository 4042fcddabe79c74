package dev.reviewapps.devstack.nomad.exec;

import dev.reviewapps.devstack.nomad.job.GroupSpec;
import dev.reviewapps.devstack.nomad.job.JobSpec;
import java.util.Map;

/**
 * Everything needed to run one allocation.
 *
 * @param allocId the allocation ID
 * @param allocName {@code <job>.<group>[<index>]}
 * @param allocIndex the index in the name
 * @param job the job at the allocation's version
 * @param group the allocation's task group
 * @param ports the host port given to each port label
 * @param dir the allocation's directory
 * @param node the node it runs on
 */
public record AllocLaunch(
    String allocId,
    String allocName,
    int allocIndex,
    JobSpec job,
    GroupSpec group,
    Map<String, Integer> ports,
    AllocDir dir,
    NodeIdentity node) {

  public AllocLaunch {
    ports = Map.copyOf(ports);
  }

  /**
   * What tasks learn about their node.
   *
   * @param id the node ID
   * @param name the node name
   * @param datacenter its datacenter
   * @param region its region
   * @param address the IP address ports are bound on
   */
  public record NodeIdentity(
      String id, String name, String datacenter, String region, String address) {}
}
