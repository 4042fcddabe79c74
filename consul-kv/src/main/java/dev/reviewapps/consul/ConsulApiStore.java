package dev.reviewapps.consul;

import com.ecwid.consul.SingleUrlParameters;
import com.ecwid.consul.transport.HttpResponse;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.Request;
import com.ecwid.consul.v1.Response;
import com.ecwid.consul.v1.kv.model.GetBinaryValue;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/** {@link KeyValueStore} over consul-api's KV client. */
public final class ConsulApiStore implements KeyValueStore {
  private final ConsulConnection connection;

  public ConsulApiStore(ConsulConnection connection) {
    this.connection = Objects.requireNonNull(connection, "connection");
  }

  @Override
  public Optional<KvEntry> get(String key) {
    return read(key, BlockingQuery.NONE).entries().stream().findFirst();
  }

  @Override
  public KvListing read(String key, BlockingQuery query) {
    String path = KeyPath.encode(key);
    Response<GetBinaryValue> response =
        ConsulCalls.call(
            "read " + key,
            () ->
                (query.blocks() ? connection.blocking() : connection.quick())
                    .getKVBinaryValue(path, null, params(query)));
    GetBinaryValue value = response.getValue();
    return new KvListing(
        value == null ? List.of() : List.of(entry(value)), index(response.getConsulIndex()));
  }

  @Override
  public KvListing list(String prefix, BlockingQuery query) {
    String path = KeyPath.encode(prefix);
    Response<List<GetBinaryValue>> response =
        ConsulCalls.call(
            "list " + prefix,
            () ->
                (query.blocks() ? connection.blocking() : connection.quick())
                    .getKVBinaryValues(path, null, params(query)));
    List<GetBinaryValue> values = response.getValue();
    return new KvListing(
        values == null ? List.of() : values.stream().map(ConsulApiStore::entry).toList(),
        index(response.getConsulIndex()));
  }

  @Override
  public KvVersions versions(String prefix, BlockingQuery query) {
    // GetValue keeps values as base64 text and never decodes them: with thousands of specs in
    // every answer, skipping the decode and the byte arrays is most of a watch's cost.
    String path = KeyPath.encode(prefix);
    Response<List<GetValue>> response =
        ConsulCalls.call(
            "list " + prefix,
            () ->
                (query.blocks() ? connection.blocking() : connection.quick())
                    .getKVValues(path, null, params(query)));
    Map<String, Long> versions = new HashMap<>();
    if (response.getValue() != null) {
      response.getValue().forEach(v -> versions.put(v.getKey(), v.getModifyIndex()));
    }
    return new KvVersions(versions, index(response.getConsulIndex()));
  }

  @Override
  public List<String> keys(String prefix) {
    String path = KeyPath.encode(prefix);
    Response<List<String>> response =
        ConsulCalls.call(
            "keys " + prefix,
            () -> connection.quick().getKVKeysOnly(path, null, null, QueryParams.DEFAULT));
    return response.getValue() == null ? List.of() : List.copyOf(response.getValue());
  }

  @Override
  public boolean compareAndSet(String key, byte[] value, long modifyIndex) {
    PutParams params = new PutParams();
    params.setCas(modifyIndex);
    return put("check-and-set " + key, key, value, params);
  }

  @Override
  public void put(String key, byte[] value) {
    if (!put("put " + key, key, value, new PutParams())) {
      throw new ConsulUnavailable("put " + key + ": Consul answered false", 0);
    }
  }

  @Override
  public void put(String key, byte[] value, long flags) {
    PutParams params = new PutParams();
    params.setFlags(flags);
    if (!put("put " + key, key, value, params)) {
      throw new ConsulUnavailable("put " + key + ": Consul answered false", 0);
    }
  }

  @Override
  public void delete(String key) {
    String path = KeyPath.encode(key);
    ConsulCalls.call("delete " + key, () -> connection.quick().deleteKVValue(path, (String) null));
  }

  @Override
  public boolean deleteIfUnchanged(String key, long modifyIndex) {
    // consul-api's deleteKVValue drops Consul's true/false answer and has no cas parameter, so
    // this one call goes through its raw client (same HTTP client, token header and counters).
    String path = "/v1/kv/" + KeyPath.encode(key);
    Request request =
        Request.Builder.newBuilder()
            .setEndpoint(path)
            .addUrlParameter(new SingleUrlParameters("cas", Long.toString(modifyIndex)))
            .build();
    HttpResponse response =
        ConsulCalls.call(
            "check-and-set delete " + key,
            () -> {
              HttpResponse raw = connection.quickRaw().makeDeleteRequest(request);
              if (raw.getStatusCode() != 200) {
                throw new OperationException(raw);
              }
              return raw;
            });
    return "true".equals(response.getContent() == null ? "" : response.getContent().strip());
  }

  @Override
  public boolean acquire(String key, byte[] value, String session) {
    PutParams params = new PutParams();
    params.setAcquireSession(session);
    return put("acquire " + key, key, value, params);
  }

  @Override
  public boolean release(String key, String session) {
    PutParams params = new PutParams();
    params.setReleaseSession(session);
    return put("release " + key, key, new byte[0], params);
  }

  private boolean put(String operation, String key, byte[] value, PutParams params) {
    String path = KeyPath.encode(key);
    Response<Boolean> response =
        ConsulCalls.call(
            operation, () -> connection.quick().setKVBinaryValue(path, value, null, params));
    return Boolean.TRUE.equals(response.getValue());
  }

  private static QueryParams params(BlockingQuery query) {
    if (!query.blocks()) {
      return QueryParams.DEFAULT;
    }
    // consul-api sends whole seconds; a sub-second wait would become "wait=0s" (no wait at all).
    long seconds = Math.max(1, query.maxWait().toSeconds());
    return new QueryParams(seconds, query.index());
  }

  private static long index(Long header) {
    return header == null ? 0 : header;
  }

  private static KvEntry entry(GetBinaryValue v) {
    return new KvEntry(
        v.getKey(),
        v.getValue(),
        v.getModifyIndex(),
        Optional.ofNullable(v.getSession()),
        v.getCreateIndex(),
        v.getFlags());
  }
}
