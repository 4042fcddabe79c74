package dev.reviewapps.devstack.consul.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.consul.acl.Access;
import dev.reviewapps.devstack.consul.acl.Authorizer;
import dev.reviewapps.devstack.consul.acl.Resource;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.consul.state.KvEntry;
import dev.reviewapps.devstack.consul.state.KvOp;
import dev.reviewapps.devstack.consul.state.OpFailure;
import dev.reviewapps.devstack.consul.state.TxnOutcome;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * {@code PUT /v1/txn}: KV operations applied all or nothing. {@code 200} with {@code Results}, or
 * {@code 409} with {@code Errors} naming each failed operation; malformed bodies are {@code 400},
 * oversized ones {@code 413}, as in Consul.
 */
final class TxnEndpoint {
  /** Consul's {@code maxTxnOps}. */
  static final int MAX_OPS = 128;

  private final ConsulState state;
  private final ConsulWire wire;

  TxnEndpoint(ConsulState state, ConsulWire wire) {
    this.state = state;
    this.wire = wire;
  }

  Reply apply(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    int maxLen = KvEndpoint.MAX_VALUE_SIZE;
    if (exchange.body().length > maxLen) {
      throw ConsulWire.tooLarge(exchange.body().length, maxLen, "txn_max_req_len");
    }
    List<Parsed> parsed = parse(exchange);
    List<KvOp> ops = new ArrayList<>();
    List<OpFailure> denied = new ArrayList<>();
    for (int i = 0; i < parsed.size(); i++) {
      Parsed p = parsed.get(i);
      if (p.op().isEmpty()) {
        denied.add(new OpFailure(i, p.problem().orElse(""), false));
        continue;
      }
      ops.add(p.op().get());
      final int at = i;
      permissionProblem(caller, p.op().get())
          .ifPresent(what -> denied.add(new OpFailure(at, what, false)));
    }
    boolean readOnly = ops.stream().noneMatch(KvOp::writes);
    Reply reply;
    if (!denied.isEmpty()) {
      reply = Reply.json(409, errors(exchange, denied).body());
    } else {
      TxnOutcome outcome = state.apply(ops);
      if (outcome instanceof TxnOutcome.Committed committed) {
        reply = results(exchange, caller, committed.results());
      } else {
        reply =
            Reply.json(409, errors(exchange, ((TxnOutcome.RolledBack) outcome).failures()).body());
      }
    }
    // A read-only transaction is a query in Consul and carries query meta (its index is 0).
    return readOnly ? wire.withQueryMeta(exchange, reply, 0) : reply;
  }

  private static Optional<String> permissionProblem(Authorizer caller, KvOp op) {
    String key = op.key();
    if (op instanceof KvOp.Get || op instanceof KvOp.GetTree) {
      return Optional.empty(); // filtered from the results instead
    }
    if (op instanceof KvOp.DeleteTree) {
      return caller.allowsWritePrefix(key)
          ? Optional.empty()
          : Optional.of(caller.denial(Resource.KEY, Access.WRITE, key));
    }
    Access needed =
        op instanceof KvOp.CheckIndex || op instanceof KvOp.CheckSession
            ? Access.READ
            : Access.WRITE;
    return caller.allows(Resource.KEY, key, needed)
        ? Optional.empty()
        : Optional.of(caller.denial(Resource.KEY, needed, key));
  }

  private static Reply results(Exchange exchange, Authorizer caller, List<KvEntry> entries) {
    ObjectNode body = ConsulWire.JSON.createObjectNode();
    ArrayNode results = body.putArray("Results");
    for (KvEntry entry : entries) {
      if (caller.allows(Resource.KEY, entry.key(), Access.READ)) {
        results.addObject().set("KV", ConsulWire.entry(entry));
      }
    }
    body.putNull("Errors");
    return ConsulWire.json(exchange, body);
  }

  private static Reply errors(Exchange exchange, List<OpFailure> failures) {
    ObjectNode body = ConsulWire.JSON.createObjectNode();
    body.putNull("Results");
    ArrayNode errors = body.putArray("Errors");
    for (OpFailure failure : failures) {
      errors.addObject().put("OpIndex", failure.opIndex()).put("What", failure.what());
    }
    return ConsulWire.json(exchange, body);
  }

  /** One element of the body: an operation, or why Consul would refuse it (a 409 entry). */
  private record Parsed(Optional<KvOp> op, Optional<String> problem) {}

  private static List<Parsed> parse(Exchange exchange) {
    JsonNode body = ConsulWire.readBody(exchange, "Failed to parse body: ");
    if (body.isNull() || body.isMissingNode()) {
      return List.of();
    }
    if (!body.isArray()) {
      throw new HttpError(
          400,
          "Failed to parse body: json: cannot unmarshal "
              + goType(body)
              + " into Go value of type api.TxnOps");
    }
    if (body.size() > MAX_OPS) {
      throw new HttpError(
          413, "Transaction contains too many operations (" + body.size() + " > " + MAX_OPS + ")");
    }
    List<Parsed> ops = new ArrayList<>();
    for (JsonNode element : body) {
      Map<String, JsonNode> op = fields(element);
      JsonNode kv = op.get("kv");
      if (kv == null || kv.isNull()) {
        if (op.containsKey("node")
            || op.containsKey("service")
            || op.containsKey("check")
            || op.containsKey("session")) {
          throw new HttpError(
              400, "Failed to parse body: the devstack stand-in supports only KV operations");
        }
        continue;
      }
      try {
        ops.add(new Parsed(Optional.of(kvOp(fields(kv))), Optional.empty()));
      } catch (TxnRefusal refusal) {
        ops.add(new Parsed(Optional.empty(), Optional.of(refusal.getMessage())));
      }
    }
    return ops;
  }

  private static KvOp kvOp(Map<String, JsonNode> kv) {
    String verb = text(kv, "verb");
    String key = text(kv, "key");
    long flags = number(kv, "flags");
    long index = number(kv, "index");
    String session = text(kv, "session");
    byte[] value = value(kv.get("value"));
    if (key.isEmpty() && !verb.equals("delete-tree")) {
      // Consul checks this before the verb, in kvsPreApply.
      throw new TxnRefusal("Must provide key");
    }
    return switch (verb) {
      case "set" -> new KvOp.Set(key, value, flags);
      case "cas" -> new KvOp.Cas(key, value, flags, index);
      case "lock" -> new KvOp.Lock(key, value, flags, session);
      case "unlock" -> new KvOp.Unlock(key, value, flags, session);
      case "get" -> new KvOp.Get(key);
      case "get-tree" -> new KvOp.GetTree(key);
      case "check-index" -> new KvOp.CheckIndex(key, index);
      case "check-session" -> new KvOp.CheckSession(key, session);
      case "check-not-exists" -> new KvOp.CheckNotExists(key);
      case "delete" -> new KvOp.Delete(key);
      case "delete-cas" -> new KvOp.DeleteCas(key, index);
      case "delete-tree" -> new KvOp.DeleteTree(key);
      default -> throw new TxnRefusal("unknown KV verb " + quote(verb));
    };
  }

  private static byte[] value(JsonNode node) {
    if (node == null || node.isNull()) {
      return new byte[0];
    }
    if (!node.isTextual()) {
      throw new HttpError(400, "Failed to parse body: Value must be a base64 string");
    }
    String text = node.asText();
    int bad = firstIllegalBase64(text);
    if (bad >= 0) {
      throw new HttpError(400, "Failed to parse body: illegal base64 data at input byte " + bad);
    }
    return Base64.getDecoder().decode(text);
  }

  // Go's base64.StdEncoding is strict: alphabet, '=' padding only at the end, length % 4 == 0.
  private static int firstIllegalBase64(String text) {
    int padding = -1;
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      boolean alphabet =
          (c >= 'A' && c <= 'Z')
              || (c >= 'a' && c <= 'z')
              || (c >= '0' && c <= '9')
              || c == '+'
              || c == '/';
      if (c == '=') {
        if (padding < 0) {
          padding = i;
        }
      } else if (!alphabet || padding >= 0) {
        return padding >= 0 ? padding : i;
      }
    }
    if (text.length() % 4 != 0) {
      return text.length() - text.length() % 4;
    }
    if (padding >= 0 && text.length() - padding > 2) {
      return padding;
    }
    return -1;
  }

  private static Map<String, JsonNode> fields(JsonNode node) {
    if (!node.isObject()) {
      throw new HttpError(
          400, "Failed to parse body: json: cannot unmarshal " + goType(node) + " into Go value");
    }
    Map<String, JsonNode> fields = new java.util.HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> field = it.next();
      fields.put(field.getKey().toLowerCase(Locale.ROOT), field.getValue());
    }
    return fields;
  }

  private static String text(Map<String, JsonNode> fields, String name) {
    JsonNode node = fields.get(name);
    if (node == null || node.isNull()) {
      return "";
    }
    if (!node.isTextual()) {
      throw new HttpError(
          400, "Failed to parse body: json: cannot unmarshal " + goType(node) + " into " + name);
    }
    return node.asText();
  }

  private static long number(Map<String, JsonNode> fields, String name) {
    JsonNode node = fields.get(name);
    if (node == null || node.isNull()) {
      return 0;
    }
    if (!node.canConvertToExactIntegral() || node.bigIntegerValue().signum() < 0) {
      throw new HttpError(
          400, "Failed to parse body: json: cannot unmarshal " + goType(node) + " into " + name);
    }
    return node.bigIntegerValue().longValue();
  }

  private static String goType(JsonNode node) {
    return switch (node.getNodeType()) {
      case ARRAY -> "array";
      case OBJECT -> "object";
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "bool";
      default -> "value";
    };
  }

  private static String quote(String text) {
    return "\"" + text.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  /** A problem Consul reports per operation (409), found while reading the body. */
  private static final class TxnRefusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TxnRefusal(String message) {
      super(message, null, false, false);
    }
  }
}
