package dev.reviewapps.devstack.nomad.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.Handler;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import dev.reviewapps.devstack.http.Routes;
import dev.reviewapps.devstack.nomad.cluster.Cluster;
import dev.reviewapps.devstack.nomad.cluster.ClusterJson;
import dev.reviewapps.devstack.nomad.cluster.NomadVersion;
import dev.reviewapps.devstack.nomad.job.InvalidJobException;
import dev.reviewapps.devstack.nomad.job.JobParser;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

/**
 * The {@code /v1} routes of Nomad's HTTP API that the stand-in serves. Reads are blocking queries
 * where Nomad's are; writes answer with the index they produced. Query parameters that clients
 * repeat ({@code region}, {@code namespace}) count by their first value; ACL tokens are accepted
 * and not checked.
 */
public final class NomadHttpApi {
  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final Cluster cluster;
  private final ClusterJson json;
  private final TaskLogs logs;

  /**
   * @param cluster the cluster to serve
   * @param httpAddress {@code host:port} clients reach this API at
   */
  public NomadHttpApi(Cluster cluster, Supplier<String> httpAddress) {
    this.cluster = cluster;
    this.json = new ClusterJson(cluster, httpAddress);
    this.logs = new TaskLogs(cluster);
  }

  /** Headers every Nomad answer carries. */
  public static UnaryOperator<Reply> decorator() {
    return reply ->
        reply.withHeader("X-Nomad-KnownLeader", "true").withHeader("X-Nomad-LastContact", "0");
  }

  /** Adds the routes to {@code routes}. */
  public Routes routes(Routes routes) {
    routes
        .get("/v1/jobs", query(e -> Optional.of(json.jobs(e.param("prefix").orElse(""))), "jobs"))
        .put("/v1/jobs", Handler.sync(e -> register(e, Optional.empty())))
        .post("/v1/jobs", Handler.sync(e -> register(e, Optional.empty())))
        .get("/v1/job/{id}", query(e -> json.job(e.pathParam("id")), "job not found"))
        .put("/v1/job/{id}", Handler.sync(e -> register(e, Optional.of(e.pathParam("id")))))
        .post("/v1/job/{id}", Handler.sync(e -> register(e, Optional.of(e.pathParam("id")))))
        .delete("/v1/job/{id}", Handler.sync(this::deregister))
        .get(
            "/v1/job/{id}/allocations",
            query(
                e ->
                    json.jobAllocations(
                        e.pathParam("id"), e.param("all").map(Boolean::parseBoolean).orElse(false)),
                "job not found"))
        .get(
            "/v1/job/{id}/evaluations",
            query(e -> json.jobEvaluations(e.pathParam("id")), "job not found"))
        .get(
            "/v1/job/{id}/versions",
            query(e -> json.jobVersions(e.pathParam("id")), "job not found"))
        .get(
            "/v1/job/{id}/summary", query(e -> json.jobSummary(e.pathParam("id")), "job not found"))
        .get(
            "/v1/job/{id}/deployments",
            query(e -> json.jobDeployments(e.pathParam("id"), true), "job not found"))
        .get(
            "/v1/job/{id}/deployment",
            query(e -> json.jobDeployments(e.pathParam("id"), false), "job not found"))
        .get(
            "/v1/deployment/{id}",
            query(e -> json.deployment(e.pathParam("id")), "deployment not found"))
        .put("/v1/deployment/promote/{id}", Handler.sync(this::promote))
        .post("/v1/deployment/promote/{id}", Handler.sync(this::promote))
        .put("/v1/job/{id}/evaluate", Handler.sync(this::evaluate))
        .post("/v1/job/{id}/evaluate", Handler.sync(this::evaluate))
        .get(
            "/v1/allocations",
            query(e -> Optional.of(json.allocations(e.param("prefix").orElse(""))), "allocs"))
        .get(
            "/v1/allocation/{id}",
            query(e -> json.allocation(e.pathParam("id")), "alloc not found"))
        .put("/v1/allocation/{id}/stop", Handler.sync(this::stopAllocation))
        .post("/v1/allocation/{id}/stop", Handler.sync(this::stopAllocation))
        .get(
            "/v1/evaluations",
            query(e -> Optional.of(json.evaluations(e.param("prefix").orElse(""))), "evals"))
        .get(
            "/v1/evaluation/{id}", query(e -> json.evaluation(e.pathParam("id")), "eval not found"))
        .get(
            "/v1/evaluation/{id}/allocations",
            query(e -> json.evaluationAllocations(e.pathParam("id")), "eval not found"))
        .get(
            "/v1/deployments",
            query(e -> Optional.of(json.deployments(e.param("prefix").orElse(""))), "deployments"))
        .get("/v1/nodes", query(e -> Optional.of(json.nodes()), "nodes"))
        .get("/v1/node/{id}", query(e -> json.node(e.pathParam("id")), "node not found"))
        .get(
            "/v1/node/{id}/allocations",
            query(e -> json.nodeAllocations(e.pathParam("id")), "node not found"))
        .get(
            "/v1/client/allocation/{id}/checks",
            Handler.sync(
                e ->
                    json.allocationChecks(e.pathParam("id"))
                        .map(a -> jsonReply(a.body()))
                        .orElseThrow(
                            () ->
                                new HttpError(
                                    404, "Unknown allocation \"" + e.pathParam("id") + "\""))))
        .get("/v1/client/fs/logs/{id}", Handler.sync(logs::serve))
        .get("/v1/status/leader", Handler.sync(e -> jsonReply(MAPPER.valueToTree(leader()))))
        .get(
            "/v1/status/peers",
            Handler.sync(e -> jsonReply(MAPPER.createArrayNode().add(leader()))))
        .get(
            "/v1/regions",
            Handler.sync(e -> jsonReply(MAPPER.createArrayNode().add(cluster.node().region()))))
        .get("/v1/agent/self", Handler.sync(e -> jsonReply(agentSelf())))
        .get("/v1/agent/health", Handler.sync(e -> jsonReply(agentHealth())))
        .get("/v1/agent/members", Handler.sync(e -> jsonReply(agentMembers())))
        .get(
            "/v1/agent/servers",
            Handler.sync(e -> jsonReply(MAPPER.createArrayNode().add(leader()))));
    return routes;
  }

  // ---- writes -----------------------------------------------------------------------------------

  private Reply register(Exchange e, Optional<String> pathId) {
    JsonNode body = parseBody(e);
    JsonNode job = body.get("Job");
    if (job == null || job.isNull()) {
      throw new HttpError(400, "Job must be specified");
    }
    if (!job.hasNonNull("ID")) {
      throw new HttpError(400, "Job ID hasn't been provided");
    }
    if (pathId.isPresent() && !pathId.get().equals(job.path("ID").asText())) {
      throw new HttpError(400, "Job ID does not match name");
    }
    JobParser.Parsed parsed;
    try {
      parsed = JobParser.parse(job);
    } catch (InvalidJobException ex) {
      throw new HttpError(400, ex.getMessage());
    }
    Optional<Long> enforce =
        body.path("EnforceIndex").asBoolean(false)
            ? Optional.of(body.path("JobModifyIndex").asLong(0))
            : Optional.empty();
    Cluster.EvalOutcome outcome;
    try {
      outcome = cluster.register(parsed, enforce);
    } catch (Cluster.IndexConflict conflict) {
      throw new HttpError(500, conflict.getMessage());
    }
    ObjectNode reply = evalReply(outcome);
    reply.put("Warnings", "");
    return indexed(reply, outcome.index());
  }

  private Reply deregister(Exchange e) {
    boolean purge = e.param("purge").map(Boolean::parseBoolean).orElse(false);
    Cluster.EvalOutcome outcome = cluster.deregister(e.pathParam("id"), purge);
    ObjectNode reply = evalReply(outcome);
    reply.put("VolumeEvalID", "");
    reply.put("VolumeEvalIndex", 0);
    return indexed(reply, outcome.index());
  }

  private Reply evaluate(Exchange e) {
    Cluster.EvalOutcome outcome =
        cluster.evaluate(e.pathParam("id")).orElseThrow(() -> new HttpError(404, "job not found"));
    return indexed(evalReply(outcome), outcome.index());
  }

  private Reply stopAllocation(Exchange e) {
    Cluster.EvalOutcome outcome =
        cluster
            .stopAllocation(e.pathParam("id"))
            .orElseThrow(() -> new HttpError(404, "alloc not found"));
    ObjectNode reply = MAPPER.createObjectNode();
    reply.put("EvalID", outcome.evalId());
    reply.put("Index", outcome.index());
    return indexed(reply, outcome.index());
  }

  private static ObjectNode evalReply(Cluster.EvalOutcome outcome) {
    ObjectNode reply = MAPPER.createObjectNode();
    reply.put("EvalID", outcome.evalId());
    reply.put("EvalCreateIndex", outcome.evalCreateIndex());
    reply.put("JobModifyIndex", outcome.jobModifyIndex());
    reply.put("Index", outcome.index());
    reply.put("LastContact", 0);
    reply.put("KnownLeader", true);
    return reply;
  }

  private static JsonNode parseBody(Exchange e) {
    try {
      JsonNode body = MAPPER.readTree(e.body());
      if (body == null || !body.isObject()) {
        throw new HttpError(400, "Failed to decode request body: expected a JSON object");
      }
      return body;
    } catch (JsonProcessingException ex) {
      throw new HttpError(400, "Failed to decode request body: " + ex.getOriginalMessage());
    } catch (java.io.IOException ex) {
      throw new HttpError(400, "Failed to decode request body: " + ex.getMessage());
    }
  }

  /**
   * {@code {"DeploymentID": "...", "All": true}} or {@code "Groups": ["web"]}; the ID in the body,
   * if given, must be the path's.
   */
  private Reply promote(Exchange e) {
    JsonNode body = parseBody(e);
    String id = e.pathParam("id");
    if (body.hasNonNull("DeploymentID") && !body.get("DeploymentID").asText().equals(id)) {
      throw new HttpError(400, "Deployment ID does not match");
    }
    Optional<List<String>> groups = Optional.empty();
    if (!body.path("All").asBoolean(false)) {
      List<String> named = new java.util.ArrayList<>();
      body.path("Groups").forEach(g -> named.add(g.asText()));
      groups = Optional.of(named);
    }
    try {
      Cluster.EvalOutcome outcome =
          cluster.promote(id, groups).orElseThrow(() -> new HttpError(404, "deployment not found"));
      ObjectNode reply = MAPPER.createObjectNode();
      reply.put("EvalID", outcome.evalId());
      reply.put("EvalCreateIndex", outcome.evalCreateIndex());
      reply.put("DeploymentModifyIndex", outcome.index());
      reply.put("Index", outcome.index());
      return indexed(reply, outcome.index());
    } catch (Cluster.PromotionRefused refused) {
      throw new HttpError(500, refused.getMessage());
    }
  }

  // ---- blocking queries -------------------------------------------------------------------------

  /** A read that blocks while {@code ?index} is not behind the answer's index. */
  private Handler query(
      java.util.function.Function<Exchange, Optional<ClusterJson.Answer>> read, String notFound) {
    return e -> {
      Optional<Long> minIndex = e.param("index").map(NomadHttpApi::parseIndex);
      Duration wait = WaitParam.of(e.param("wait"));
      // Nomad adds up to wait/16 of jitter so that many watchers do not return together.
      long jitter = ThreadLocalRandom.current().nextLong(Math.max(1, wait.toMillis() / 16));
      Instant deadline = Instant.now().plus(wait).plusMillis(jitter);
      return answer(() -> read.apply(e), minIndex, deadline, notFound);
    };
  }

  private CompletableFuture<Reply> answer(
      Supplier<Optional<ClusterJson.Answer>> read,
      Optional<Long> minIndex,
      Instant deadline,
      String notFound) {
    Duration remaining = Duration.between(Instant.now(), deadline);
    boolean closing = cluster.closing();
    // Park before reading, so that a change between the read and the park still wakes us.
    CompletableFuture<Boolean> woken =
        minIndex.isPresent() && !remaining.isNegative() && !closing
            ? cluster.awaitChange(remaining)
            : CompletableFuture.completedFuture(false);
    Optional<ClusterJson.Answer> answer = read.get();
    boolean ready =
        answer.isEmpty()
            || closing
            || minIndex.isEmpty()
            || answer.get().index() > minIndex.get()
            || remaining.isNegative()
            || remaining.isZero();
    if (ready) {
      woken.complete(false);
      return CompletableFuture.completedFuture(
          answer
              .map(a -> indexed(a.body(), a.index()))
              .orElseGet(
                  () ->
                      Reply.text(404, notFound)
                          .withHeader("X-Nomad-Index", Long.toString(cluster.index()))));
    }
    return woken.thenCompose(
        changed ->
            changed
                ? answer(read, minIndex, deadline, notFound)
                : CompletableFuture.completedFuture(
                    indexed(answer.get().body(), answer.get().index())));
  }

  private static long parseIndex(String text) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new HttpError(400, "Invalid index");
    }
  }

  // ---- agent --------------------------------------------------------------------------------

  private String leader() {
    return cluster.node().address() + ":4647";
  }

  private JsonNode agentSelf() {
    ObjectNode self = MAPPER.createObjectNode();
    ObjectNode config = self.putObject("config");
    config.put("Region", cluster.node().region());
    config.put("Datacenter", cluster.node().datacenter());
    config.put("NodeName", cluster.node().name());
    config.putObject("Version").put("Version", NomadVersion.VERSION).put("VersionPrerelease", "");
    config.putObject("Client").put("Enabled", true);
    config.putObject("Server").put("Enabled", true);
    config.putObject("ACL").put("Enabled", false);
    self.set("member", member());
    ObjectNode stats = self.putObject("stats");
    stats.putObject("nomad").put("leader", "true").put("known_regions", "1");
    stats.putObject("client").put("node_id", cluster.node().id()).put("known_servers", leader());
    return self;
  }

  private JsonNode agentMembers() {
    ObjectNode members = MAPPER.createObjectNode();
    members.put("ServerName", cluster.node().name());
    members.put("ServerRegion", cluster.node().region());
    members.put("ServerDC", cluster.node().datacenter());
    members.putArray("Members").add(member());
    return members;
  }

  /** The one server, as Serf's member list shows it. */
  private ObjectNode member() {
    ObjectNode member = MAPPER.createObjectNode();
    member.put("Name", cluster.node().name() + "." + cluster.node().region());
    member.put("Addr", cluster.node().address());
    member.put("Port", 4648);
    member.put("Status", "alive");
    ObjectNode tags = member.putObject("Tags");
    tags.put("region", cluster.node().region());
    tags.put("dc", cluster.node().datacenter());
    tags.put("build", NomadVersion.VERSION);
    tags.put("role", "nomad");
    return member;
  }

  private static JsonNode agentHealth() {
    ObjectNode health = MAPPER.createObjectNode();
    health.putObject("client").put("ok", true).put("message", "ok");
    health.putObject("server").put("ok", true).put("message", "ok");
    return health;
  }

  // ---- replies ------------------------------------------------------------------------------

  static Reply jsonReply(JsonNode body) {
    try {
      return Reply.json(200, MAPPER.writeValueAsBytes(body));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  private static Reply indexed(JsonNode body, long index) {
    return jsonReply(body).withHeader("X-Nomad-Index", Long.toString(index));
  }
}
