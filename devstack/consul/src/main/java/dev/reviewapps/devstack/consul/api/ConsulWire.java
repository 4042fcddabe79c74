package dev.reviewapps.devstack.consul.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.devstack.consul.acl.Authorizer;
import dev.reviewapps.devstack.consul.state.KvEntry;
import dev.reviewapps.devstack.consul.state.Session;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Consul's wire conventions shared by the endpoints: the JSON shapes of entries and sessions, the
 * query-meta headers, how a request names its token and datacenter.
 */
final class ConsulWire {
  static final ObjectMapper JSON = new ObjectMapper();

  private final Optional<AclRules> acl;
  private final String datacenter;
  private final Map<String, Encoded> encoded = new ConcurrentHashMap<>();
  private static final int MAX_ENCODED = 200_000;

  ConsulWire(Optional<AclRules> acl, String datacenter) {
    this.acl = acl;
    this.datacenter = datacenter;
  }

  /**
   * The authorizer of the request's token, taken from {@code ?token=} first, then {@code
   * X-Consul-Token}, then {@code Authorization: Bearer}, in Consul's order.
   */
  Authorizer authorize(Exchange exchange) {
    if (acl.isEmpty()) {
      return Authorizer.allowAll();
    }
    return acl.get()
        .resolve(token(exchange))
        .orElseThrow(() -> new HttpError(403, "ACL not found"));
  }

  static Optional<String> token(Exchange exchange) {
    return exchange
        .param("token")
        .filter(t -> !t.isEmpty())
        .or(() -> exchange.header("X-Consul-Token").filter(t -> !t.isEmpty()))
        .or(
            () ->
                exchange
                    .header("Authorization")
                    .filter(h -> h.regionMatches(true, 0, "Bearer ", 0, 7))
                    .map(h -> h.substring(7).trim()));
  }

  Optional<AclRules> acl() {
    return acl;
  }

  /** Refuses a {@code ?dc=} other than ours, as a lone Consul datacenter does. */
  void checkDatacenter(Exchange exchange) {
    exchange
        .param("dc")
        .filter(dc -> !dc.isEmpty() && !dc.equals(datacenter))
        .ifPresent(
            dc -> {
              throw new HttpError(500, "No path to datacenter");
            });
  }

  /** The headers Consul's {@code setMeta} puts on every read. */
  Reply withQueryMeta(Exchange exchange, Reply reply, long index) {
    String consistency =
        exchange.hasParam("stale")
            ? "stale"
            : exchange.hasParam("consistent") ? "consistent" : "leader";
    // One copy of the header map rather than one per header: every parked query passes here.
    Map<String, String> headers = new LinkedHashMap<>(reply.headers());
    headers.put("X-Consul-Index", Long.toString(index));
    headers.put("X-Consul-KnownLeader", "true");
    headers.put("X-Consul-LastContact", "0");
    headers.put("X-Consul-Effective-Consistency", consistency);
    acl.ifPresent(rules -> headers.put("X-Consul-Default-ACL-Policy", rules.defaultPolicy()));
    return new Reply(reply.status(), headers, reply.body());
  }

  /** A 200 JSON answer, indented when the request asked for {@code ?pretty}. */
  static Reply json(Exchange exchange, Object body) {
    try {
      byte[] bytes =
          exchange.hasParam("pretty")
              ? JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(body)
              : JSON.writeValueAsBytes(body);
      return Reply.json(200, bytes);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("cannot encode reply", e);
    }
  }

  /** A KV entry in Consul's field order; Session only when held, Value null when empty. */
  static ObjectNode entry(KvEntry e) {
    ObjectNode node = JSON.createObjectNode();
    node.put("LockIndex", e.lockIndex());
    node.put("Key", e.key());
    node.put("Flags", unsigned(e.flags()));
    if (e.value().length == 0) {
      node.putNull("Value");
    } else {
      node.put("Value", Base64.getEncoder().encodeToString(e.value()));
    }
    e.session().ifPresent(s -> node.put("Session", s));
    node.put("CreateIndex", e.createIndex());
    node.put("ModifyIndex", e.modifyIndex());
    return node;
  }

  /**
   * A listing of entries as Consul's JSON array, each entry encoded once and then reused for as
   * long as the stored entry is the same object (entries are immutable; a write replaces the
   * object). A watcher of a prefix with thousands of keys is sent the whole listing on every
   * change; encoding only what changed keeps that near a memory copy, as a real Consul's is.
   */
  Reply entriesJson(Exchange exchange, List<KvEntry> list) {
    if (exchange.hasParam("pretty")) {
      return json(exchange, entries(list));
    }
    if (encoded.size() > MAX_ENCODED) {
      encoded.clear(); // keys of a churning key space come and go; never grow without bound
    }
    List<byte[]> parts = new ArrayList<>(list.size());
    int size = 2 + Math.max(0, list.size() - 1);
    for (KvEntry e : list) {
      Encoded cached = encoded.get(e.key());
      if (cached == null || cached.entry() != e) {
        try {
          cached = new Encoded(e, JSON.writeValueAsBytes(entry(e)));
        } catch (JsonProcessingException ex) {
          throw new IllegalStateException("cannot encode entry", ex);
        }
        encoded.put(e.key(), cached);
      }
      parts.add(cached.json());
      size += cached.json().length;
    }
    byte[] body = new byte[size];
    int at = 0;
    body[at++] = '[';
    for (int i = 0; i < parts.size(); i++) {
      if (i > 0) {
        body[at++] = ',';
      }
      byte[] part = parts.get(i);
      System.arraycopy(part, 0, body, at, part.length);
      at += part.length;
    }
    body[at] = ']';
    return Reply.json(200, body);
  }

  /** An entry's JSON, valid while the store holds this very object. */
  private record Encoded(KvEntry entry, byte[] json) {}

  static ArrayNode entries(List<KvEntry> list) {
    ArrayNode array = JSON.createArrayNode();
    list.forEach(e -> array.add(entry(e)));
    return array;
  }

  /** A session as {@code /v1/session/info} shows it; LockDelay in nanoseconds. */
  static ObjectNode session(Session s) {
    ObjectNode node = JSON.createObjectNode();
    node.put("ID", s.id());
    node.put("Name", s.name());
    node.put("Node", s.node());
    node.put("LockDelay", s.lockDelay().toNanos());
    node.put("Behavior", s.behavior().wire());
    node.put("TTL", s.ttl().map(t -> t.text()).orElse(""));
    ArrayNode checks = node.putArray("NodeChecks");
    s.nodeChecks().forEach(checks::add);
    node.putNull("ServiceChecks");
    node.put("CreateIndex", s.createIndex());
    node.put("ModifyIndex", s.modifyIndex());
    return node;
  }

  static BigInteger unsigned(long value) {
    return new BigInteger(Long.toUnsignedString(value));
  }

  /** Parses a uint64 parameter, failing with Go's strconv message as Consul does (a 500). */
  static long parseUnsigned(String text) {
    try {
      return Long.parseUnsignedLong(text);
    } catch (NumberFormatException e) {
      throw new HttpError(500, "strconv.ParseUint: parsing \"" + text + "\": invalid syntax");
    }
  }

  /**
   * Consul's {@code conflictingFlags}: more than one of {@code flags} present is a 400 naming the
   * whole query, encoded as Go's {@code url.Values.Encode} does (keys sorted).
   */
  static void refuseConflicting(Exchange exchange, String... flags) {
    int present = 0;
    for (String flag : flags) {
      if (exchange.hasParam(flag)) {
        present++;
      }
    }
    if (present > 1) {
      StringBuilder encoded = new StringBuilder();
      new TreeMap<>(exchange.query())
          .forEach(
              (k, values) ->
                  values.forEach(
                      v -> {
                        if (encoded.length() > 0) {
                          encoded.append('&');
                        }
                        encoded.append(urlEncode(k)).append('=').append(urlEncode(v));
                      }));
      throw new HttpError(400, "Conflicting flags: " + encoded);
    }
  }

  private static String urlEncode(String s) {
    return java.net.URLEncoder.encode(s, java.nio.charset.StandardCharsets.UTF_8);
  }

  /** Consul's 413 for a body over a configured limit, naming the setting's documentation. */
  static HttpError tooLarge(int length, int max, String setting) {
    return new HttpError(
        413,
        "Request body("
            + length
            + " bytes) too large, max size: "
            + max
            + " bytes. See https://developer.hashicorp.com/docs/agent/config/config-files#"
            + setting
            + ".");
  }

  /** Reads a JSON body, answering 400 with Consul's prefix when it is not JSON. */
  static JsonNode readBody(Exchange exchange, String failurePrefix) {
    try {
      JsonNode node = JSON.readTree(exchange.body());
      return node == null ? JSON.missingNode() : node;
    } catch (java.io.IOException e) {
      throw new HttpError(400, failurePrefix + firstLine(e.getMessage()));
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "invalid JSON";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
