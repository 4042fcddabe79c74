package dev.reviewapps.devstack.consul.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.consul.acl.Access;
import dev.reviewapps.devstack.consul.acl.Authorizer;
import dev.reviewapps.devstack.consul.acl.Resource;
import dev.reviewapps.devstack.consul.state.Behavior;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.consul.state.Reads;
import dev.reviewapps.devstack.consul.state.Session;
import dev.reviewapps.devstack.consul.state.SessionRequest;
import dev.reviewapps.devstack.consul.state.SessionTtl;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/** {@code /v1/session/*}: create, destroy, renew, info, node, list. */
final class SessionEndpoint {
  /** The health check every Consul node has and sessions are bound to by default. */
  static final String SERF_CHECK = "serfHealth";

  private static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);
  private static final Duration MAX_TTL = Duration.ofHours(24);
  // Consul reads a LockDelay number below this as seconds, above as nanoseconds.
  private static final long LOCK_DELAY_SECONDS_THRESHOLD = 1000;

  private final ConsulState state;
  private final ConsulWire wire;
  private final BlockingQuery blocking;
  private final String nodeName;
  private final Duration ttlMin;

  SessionEndpoint(
      ConsulState state,
      ConsulWire wire,
      BlockingQuery blocking,
      String nodeName,
      Duration ttlMin) {
    this.state = state;
    this.wire = wire;
    this.blocking = blocking;
    this.nodeName = nodeName;
    this.ttlMin = ttlMin;
  }

  Reply create(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    SessionRequest request = parse(exchange);
    if (!caller.allows(Resource.SESSION, request.node(), Access.WRITE)) {
      throw new HttpError(403, caller.denial(Resource.SESSION, Access.WRITE, request.node()));
    }
    if (!request.node().equals(nodeName)) {
      throw new HttpError(500, "Missing node registration");
    }
    for (String check : request.nodeChecks()) {
      if (!check.equals(SERF_CHECK)) {
        throw new HttpError(500, "Missing check '" + check + "' registration");
      }
    }
    Session session = state.createSession(request);
    ObjectNode body = ConsulWire.JSON.createObjectNode().put("ID", session.id());
    return ConsulWire.json(exchange, body);
  }

  private SessionRequest parse(Exchange exchange) {
    Map<String, JsonNode> fields = Map.of();
    if (exchange.body().length > 0) {
      JsonNode body = ConsulWire.readBody(exchange, "Request decode failed: ");
      if (!body.isObject()) {
        throw new HttpError(400, "Request decode failed: body must be a JSON object");
      }
      fields = caseInsensitive(body);
    }
    String name = text(fields, "Name").orElse("");
    String node = text(fields, "Node").filter(n -> !n.isEmpty()).orElse(nodeName);
    String behaviorText = text(fields, "Behavior").orElse("");
    Behavior behavior =
        behaviorText.isEmpty()
            ? Behavior.RELEASE
            : Behavior.fromWire(behaviorText)
                .orElseThrow(
                    () -> new HttpError(500, "Invalid Behavior setting '" + behaviorText + "'"));
    Optional<SessionTtl> ttl = ttl(text(fields, "TTL").orElse(""));
    Duration lockDelay = lockDelay(fields.get("lockdelay"));
    List<String> checks = new ArrayList<>(List.of(SERF_CHECK));
    JsonNode explicit =
        fields.containsKey("nodechecks") ? fields.get("nodechecks") : fields.get("checks");
    if (explicit != null && !explicit.isNull()) {
      checks.clear();
      explicit.forEach(c -> checks.add(c.asText()));
    }
    return new SessionRequest(name, node, lockDelay, behavior, ttl, checks);
  }

  // Go's JSON decoding matches field names case-insensitively.
  private static Map<String, JsonNode> caseInsensitive(JsonNode body) {
    Map<String, JsonNode> fields = new java.util.HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = body.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
    }
    return fields;
  }

  private static Optional<String> text(Map<String, JsonNode> fields, String name) {
    JsonNode node = fields.get(name.toLowerCase(Locale.ROOT));
    if (node == null || node.isNull()) {
      return Optional.empty();
    }
    if (!node.isTextual()) {
      throw new HttpError(
          400, "Request decode failed: " + name + " must be a string, not " + node.getNodeType());
    }
    return Optional.of(node.asText());
  }

  private Optional<SessionTtl> ttl(String text) {
    if (text.isEmpty()) {
      return Optional.empty();
    }
    Duration ttl;
    try {
      ttl = GoDuration.parse(text);
    } catch (IllegalArgumentException e) {
      throw new HttpError(500, "Session TTL '" + text + "' invalid: " + e.getMessage());
    }
    if (ttl.isZero()) {
      return Optional.empty();
    }
    if (ttl.compareTo(ttlMin) < 0 || ttl.compareTo(MAX_TTL) > 0) {
      throw new HttpError(
          500,
          "Invalid Session TTL '"
              + ttl.toNanos()
              + "', must be between ["
              + GoDuration.format(ttlMin)
              + "="
              + GoDuration.format(MAX_TTL)
              + "]");
    }
    return Optional.of(new SessionTtl(text, ttl));
  }

  private static Duration lockDelay(JsonNode node) {
    if (node == null || node.isNull()) {
      return DEFAULT_LOCK_DELAY;
    }
    if (node.isNumber()) {
      long n = node.asLong();
      return n < LOCK_DELAY_SECONDS_THRESHOLD ? Duration.ofSeconds(n) : Duration.ofNanos(n);
    }
    try {
      return GoDuration.parse(node.asText());
    } catch (IllegalArgumentException e) {
      throw new HttpError(400, "Request decode failed: LockDelay: " + e.getMessage());
    }
  }

  Reply destroy(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    String id = exchange.pathParam("id");
    // Consul's Session.Apply: destroying a session that does not exist succeeds and does nothing.
    Optional<Session> session = existing(id);
    if (session.isPresent()) {
      requireWrite(caller, session.get());
      state.destroySession(id);
    }
    return ConsulWire.json(exchange, true);
  }

  Reply renew(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    String id = exchange.pathParam("id");
    Optional<Session> session = existing(id);
    if (session.isPresent()) {
      requireWrite(caller, session.get());
      session = state.renewSession(id);
    }
    if (session.isEmpty()) {
      throw new HttpError(404, "Session id '" + id + "' not found");
    }
    ArrayNode array = ConsulWire.JSON.createArrayNode().add(ConsulWire.session(session.get()));
    return ConsulWire.json(exchange, array);
  }

  private Optional<Session> existing(String id) {
    List<Session> found = state.readSession(id).sessions();
    return found.isEmpty() ? Optional.empty() : Optional.of(found.get(0));
  }

  private static void requireWrite(Authorizer caller, Session session) {
    if (!caller.allows(Resource.SESSION, session.node(), Access.WRITE)) {
      throw new HttpError(403, caller.denial(Resource.SESSION, Access.WRITE, session.node()));
    }
  }

  CompletableFuture<Reply> info(Exchange exchange) {
    String id = exchange.pathParam("id");
    return listing(exchange, () -> state.readSession(id));
  }

  CompletableFuture<Reply> node(Exchange exchange) {
    String node = exchange.pathParam("node");
    return listing(exchange, () -> state.readSessions(Optional.of(node)));
  }

  CompletableFuture<Reply> list(Exchange exchange) {
    return listing(exchange, () -> state.readSessions(Optional.empty()));
  }

  private CompletableFuture<Reply> listing(Exchange exchange, Supplier<Reads.Sessions> read) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    return blocking.answer(
        exchange,
        commit -> commit.touchesSessions(),
        () -> {
          Reads.Sessions sessions = read.get();
          ArrayNode array = ConsulWire.JSON.createArrayNode();
          sessions.sessions().stream()
              .filter(s -> caller.allows(Resource.SESSION, s.node(), Access.READ))
              .forEach(s -> array.add(ConsulWire.session(s)));
          return new BlockingQuery.Answer(sessions.index(), ConsulWire.json(exchange, array));
        });
  }
}
