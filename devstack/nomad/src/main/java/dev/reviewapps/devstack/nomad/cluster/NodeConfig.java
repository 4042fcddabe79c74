package dev.reviewapps.devstack.nomad.cluster;

/**
 * The single client node of the stand-in.
 *
 * @param id the node ID (a UUID)
 * @param name the node name
 * @param datacenter its datacenter, {@code dc1} by default
 * @param region its region, {@code global} by default
 * @param address the IP address tasks bind and ports are reported on
 * @param cpuMhz schedulable CPU
 * @param memoryMb schedulable memory
 * @param minPort lowest dynamic port
 * @param maxPort highest dynamic port
 */
public record NodeConfig(
    String id,
    String name,
    String datacenter,
    String region,
    String address,
    int cpuMhz,
    int memoryMb,
    int minPort,
    int maxPort) {

  public NodeConfig {
    if (minPort < 1 || maxPort > 65535 || minPort > maxPort) {
      throw new IllegalArgumentException("bad dynamic port range " + minPort + "-" + maxPort);
    }
  }
}
