package dev.reviewapps.devstack.consul.api;

import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.reviewapps.devstack.consul.acl.Access;
import dev.reviewapps.devstack.consul.acl.Authorizer;
import dev.reviewapps.devstack.consul.acl.Resource;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.consul.state.KvEntry;
import dev.reviewapps.devstack.consul.state.KvOp;
import dev.reviewapps.devstack.consul.state.OpFailure;
import dev.reviewapps.devstack.consul.state.Reads;
import dev.reviewapps.devstack.consul.state.TxnOutcome;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * {@code /v1/kv/<key>}: GET (one key, {@code ?recurse}, {@code ?keys}, {@code ?raw}), PUT, DELETE.
 */
final class KvEndpoint {
  /** Consul's default {@code kv_max_value_size}. */
  static final int MAX_VALUE_SIZE = 512 * 1024;

  private final ConsulState state;
  private final ConsulWire wire;
  private final BlockingQuery blocking;

  KvEndpoint(ConsulState state, ConsulWire wire, BlockingQuery blocking) {
    this.state = state;
    this.wire = wire;
    this.blocking = blocking;
  }

  CompletableFuture<Reply> get(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    String key = exchange.pathParam("key");
    if (exchange.hasParam("keys")) {
      // Consul still honours its historic misspelling.
      String separator =
          exchange.param("separator").or(() -> exchange.param("seperator")).orElse("");
      return blocking.answer(
          exchange,
          commit -> commit.touchesKey(k -> k.startsWith(key)),
          () -> listKeys(exchange, caller, key, separator));
    }
    if (exchange.hasParam("recurse")) {
      return blocking.answer(
          exchange,
          commit -> commit.touchesKey(k -> k.startsWith(key)),
          () -> listEntries(exchange, caller, key));
    }
    if (key.isEmpty()) {
      throw new HttpError(400, "Missing key name");
    }
    if (!caller.allows(Resource.KEY, key, Access.READ)) {
      throw new HttpError(403, caller.denial(Resource.KEY, Access.READ, key));
    }
    return blocking.answer(
        exchange, commit -> commit.touchesKey(key::equals), () -> readOne(exchange, key));
  }

  private BlockingQuery.Answer readOne(Exchange exchange, String key) {
    Reads.Key read = state.readKey(key);
    if (read.entry().isEmpty()) {
      return new BlockingQuery.Answer(read.index(), Reply.empty(404));
    }
    KvEntry entry = read.entry().get();
    if (exchange.hasParam("raw")) {
      return new BlockingQuery.Answer(
          read.index(), Reply.of(200, sniffContentType(entry.value()), entry.value()));
    }
    return new BlockingQuery.Answer(read.index(), wire.entriesJson(exchange, List.of(entry)));
  }

  private BlockingQuery.Answer listEntries(Exchange exchange, Authorizer caller, String prefix) {
    Reads.Prefix read = state.readPrefix(prefix);
    List<KvEntry> visible =
        read.entries().stream()
            .filter(e -> caller.allows(Resource.KEY, e.key(), Access.READ))
            .toList();
    if (visible.isEmpty()) {
      return new BlockingQuery.Answer(read.index(), filtered(Reply.empty(404), read, visible));
    }
    return new BlockingQuery.Answer(
        read.index(), filtered(wire.entriesJson(exchange, visible), read, visible));
  }

  private static Reply filtered(Reply reply, Reads.Prefix read, List<KvEntry> visible) {
    return visible.size() < read.entries().size()
        ? reply.withHeader("X-Consul-Results-Filtered-By-ACLs", "true")
        : reply;
  }

  private BlockingQuery.Answer listKeys(
      Exchange exchange, Authorizer caller, String prefix, String separator) {
    Reads.Keys read = state.readKeys(prefix, separator);
    List<String> visible =
        read.keys().stream().filter(k -> caller.allows(Resource.KEY, k, Access.LIST)).toList();
    // Consul answers 404 for an empty listing, except at the root where it answers [].
    Reply reply;
    if (visible.isEmpty() && !prefix.isEmpty()) {
      reply = Reply.empty(404);
    } else {
      ArrayNode array = ConsulWire.JSON.createArrayNode();
      visible.forEach(array::add);
      reply = ConsulWire.json(exchange, array);
    }
    if (visible.size() < read.keys().size()) {
      reply = reply.withHeader("X-Consul-Results-Filtered-By-ACLs", "true");
    }
    return new BlockingQuery.Answer(read.index(), reply);
  }

  // Go's http.DetectContentType, reduced to what KV values are: text or bytes.
  private static String sniffContentType(byte[] value) {
    for (byte b : value) {
      int c = b & 0xff;
      if (c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != 0x0c && c != 0x1b) {
        return "application/octet-stream";
      }
    }
    if (!StandardCharsets.UTF_8
        .newDecoder()
        .decode(java.nio.ByteBuffer.wrap(value), java.nio.CharBuffer.allocate(value.length), true)
        .isError()) {
      return "text/plain; charset=utf-8";
    }
    return "application/octet-stream";
  }

  Reply put(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    String key = exchange.pathParam("key");
    if (key.isEmpty()) {
      throw new HttpError(400, "Missing key name");
    }
    ConsulWire.refuseConflicting(exchange, "cas", "acquire", "release");
    long flags = exchange.param("flags").map(ConsulWire::parseUnsigned).orElse(0L);
    if (exchange.body().length > MAX_VALUE_SIZE) {
      throw ConsulWire.tooLarge(exchange.body().length, MAX_VALUE_SIZE, "kv_max_value_size");
    }
    if (!caller.allows(Resource.KEY, key, Access.WRITE)) {
      throw new HttpError(403, caller.denial(Resource.KEY, Access.WRITE, key));
    }
    byte[] value = exchange.body();
    KvOp op;
    if (exchange.hasParam("acquire")) {
      op = new KvOp.Lock(key, value, flags, exchange.param("acquire").orElse(""));
    } else if (exchange.hasParam("release")) {
      op = new KvOp.Unlock(key, value, flags, exchange.param("release").orElse(""));
    } else if (exchange.hasParam("cas")) {
      op =
          new KvOp.Cas(
              key, value, flags, ConsulWire.parseUnsigned(exchange.param("cas").orElse("")));
    } else {
      op = new KvOp.Set(key, value, flags);
    }
    return ConsulWire.json(exchange, applied(state.apply(List.of(op))));
  }

  Reply delete(Exchange exchange) {
    wire.checkDatacenter(exchange);
    Authorizer caller = wire.authorize(exchange);
    String key = exchange.pathParam("key");
    ConsulWire.refuseConflicting(exchange, "recurse", "cas");
    KvOp op;
    if (exchange.hasParam("recurse")) {
      if (!caller.allowsWritePrefix(key)) {
        throw new HttpError(403, caller.denial(Resource.KEY, Access.WRITE, key));
      }
      op = new KvOp.DeleteTree(key);
    } else {
      if (key.isEmpty()) {
        throw new HttpError(400, "Missing key name");
      }
      if (!caller.allows(Resource.KEY, key, Access.WRITE)) {
        throw new HttpError(403, caller.denial(Resource.KEY, Access.WRITE, key));
      }
      op =
          exchange.hasParam("cas")
              ? new KvOp.DeleteCas(key, ConsulWire.parseUnsigned(exchange.param("cas").orElse("")))
              : new KvOp.Delete(key);
    }
    return ConsulWire.json(exchange, applied(state.apply(List.of(op))));
  }

  // A lost CAS or lock is `false`; an invalid request (unknown session) is Consul's 500.
  private static boolean applied(TxnOutcome outcome) {
    if (outcome instanceof TxnOutcome.RolledBack rolledBack) {
      OpFailure failure = rolledBack.failures().get(0);
      if (!failure.refused()) {
        throw new HttpError(500, failure.what());
      }
      return false;
    }
    return true;
  }
}
