package dev.reviewapps.devstack.consul.api;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.consul.acl.Access;
import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.devstack.consul.acl.Authorizer;
import dev.reviewapps.devstack.consul.acl.Resource;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.UUID;
import java.util.function.IntSupplier;

/**
 * What clients probe before they start: {@code /v1/status/leader}, {@code /v1/status/peers}, {@code
 * /v1/agent/self}, {@code /v1/catalog/datacenters} and {@code /v1/acl/token/self}. The stand-in is
 * one server node that is always its own leader.
 */
final class AgentEndpoint {
  /** The Consul version the stand-in reports; its API follows the 1.20 documentation. */
  static final String VERSION = "1.20.0";

  private final ConsulWire wire;
  private final String nodeName;
  private final String datacenter;
  private final String serverAddress;

  private final IntSupplier parkedQueries;

  AgentEndpoint(
      ConsulWire wire,
      String nodeName,
      String datacenter,
      String bindAddress,
      IntSupplier parkedQueries) {
    this.wire = wire;
    this.parkedQueries = parkedQueries;
    this.nodeName = nodeName;
    this.datacenter = datacenter;
    this.serverAddress = bindAddress + ":8300";
  }

  Reply leader(Exchange exchange) {
    return ConsulWire.json(exchange, serverAddress);
  }

  Reply peers(Exchange exchange) {
    return ConsulWire.json(exchange, List.of(serverAddress));
  }

  Reply datacenters(Exchange exchange) {
    return ConsulWire.json(exchange, List.of(datacenter));
  }

  Reply self(Exchange exchange) {
    Authorizer caller = wire.authorize(exchange);
    if (!caller.allows(Resource.AGENT, nodeName, Access.READ)) {
      throw new HttpError(403, caller.denial(Resource.AGENT, Access.READ, nodeName));
    }
    ObjectNode body = ConsulWire.JSON.createObjectNode();
    ObjectNode config = body.putObject("Config");
    config.put("Datacenter", datacenter);
    config.put("PrimaryDatacenter", datacenter);
    config.put("NodeName", nodeName);
    config.put(
        "NodeID", UUID.nameUUIDFromBytes(nodeName.getBytes(StandardCharsets.UTF_8)).toString());
    config.put("Revision", "devstack");
    config.put("Server", true);
    config.put("Version", VERSION);
    body.putNull("Coord");
    ObjectNode member = body.putObject("Member");
    member.put("Name", nodeName);
    member.put("Addr", serverAddress.substring(0, serverAddress.lastIndexOf(':')));
    member.put("Port", 8301);
    ObjectNode tags = member.putObject("Tags");
    tags.put("dc", datacenter);
    tags.put("role", "consul");
    tags.put("build", VERSION + ":devstack");
    member.put("Status", 1);
    body.putObject("Meta");
    return ConsulWire.json(exchange, body);
  }

  /**
   * {@code /v1/agent/metrics} with the gauges of Consul's names that make sense here: parked
   * blocking queries ({@code consul.rpc.queries_blocking}), heap in use and thread count (Consul
   * reports goroutines; the stand-in reports JVM threads).
   */
  Reply metrics(Exchange exchange) {
    Authorizer caller = wire.authorize(exchange);
    if (!caller.allows(Resource.AGENT, nodeName, Access.READ)) {
      throw new HttpError(403, caller.denial(Resource.AGENT, Access.READ, nodeName));
    }
    Runtime runtime = Runtime.getRuntime();
    ObjectNode body = ConsulWire.JSON.createObjectNode();
    body.put("Timestamp", java.time.Instant.now().toString());
    var gauges = body.putArray("Gauges");
    gauge(gauges, "consul.rpc.queries_blocking", parkedQueries.getAsInt());
    gauge(gauges, "consul.runtime.alloc_bytes", runtime.totalMemory() - runtime.freeMemory());
    gauge(gauges, "consul.runtime.sys_bytes", runtime.totalMemory());
    gauge(
        gauges,
        "consul.runtime.num_goroutines",
        java.lang.management.ManagementFactory.getThreadMXBean().getThreadCount());
    body.putArray("Points");
    body.putArray("Counters");
    body.putArray("Samples");
    return ConsulWire.json(exchange, body);
  }

  private static void gauge(
      com.fasterxml.jackson.databind.node.ArrayNode gauges, String name, long value) {
    gauges.addObject().put("Name", name).put("Value", value).putObject("Labels");
  }

  Reply tokenSelf(Exchange exchange) {
    if (wire.acl().isEmpty()) {
      throw new HttpError(401, "ACL support disabled");
    }
    AclRules acl = wire.acl().get();
    String secret = ConsulWire.token(exchange).orElse("anonymous");
    ObjectNode body = ConsulWire.JSON.createObjectNode();
    if (secret.equals("anonymous")) {
      body.put("AccessorID", Authorizer.ANONYMOUS_ACCESSOR);
      body.put("SecretID", "anonymous");
      body.put("Description", "Anonymous Token");
    } else {
      AclRules.TokenInfo info =
          acl.describe(secret).orElseThrow(() -> new HttpError(403, "ACL not found"));
      body.put("AccessorID", info.accessorId());
      body.put("SecretID", secret);
      body.put("Description", info.description());
      if (info.management()) {
        body.putArray("Policies")
            .addObject()
            .put("ID", "00000000-0000-0000-0000-000000000001")
            .put("Name", "global-management");
      }
    }
    body.put("Local", false);
    return ConsulWire.json(exchange, body);
  }
}
