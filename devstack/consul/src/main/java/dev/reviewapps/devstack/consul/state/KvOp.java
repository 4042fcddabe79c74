package dev.reviewapps.devstack.consul.state;

/**
 * One KV operation with Consul's transaction verbs. A plain {@code PUT} or {@code DELETE} on {@code
 * /v1/kv/} is a transaction of one of these, so the single-key and the {@code /v1/txn} paths share
 * every rule.
 */
public sealed interface KvOp {
  /** The key (or, for the tree verbs, the prefix) the operation acts on. */
  String key();

  /** Whether the operation may change state (Consul runs read-only transactions apart). */
  default boolean writes() {
    return !(this instanceof Get
        || this instanceof GetTree
        || this instanceof CheckIndex
        || this instanceof CheckSession
        || this instanceof CheckNotExists);
  }

  /** {@code set}: write the value, keeping any lock holder. */
  record Set(String key, byte[] value, long flags) implements KvOp {}

  /** {@code cas}: write only if the key's ModifyIndex equals {@code index} (0: absent). */
  record Cas(String key, byte[] value, long flags, long index) implements KvOp {}

  /** {@code lock}: write and acquire the lock for a session. */
  record Lock(String key, byte[] value, long flags, String session) implements KvOp {}

  /** {@code unlock}: write and release the lock the session holds. */
  record Unlock(String key, byte[] value, long flags, String session) implements KvOp {}

  /** {@code get}: read one key, failing if it is absent. */
  record Get(String key) implements KvOp {}

  /** {@code get-tree}: read every key under a prefix. */
  record GetTree(String key) implements KvOp {}

  /** {@code check-index}: fail unless the key's ModifyIndex equals {@code index}. */
  record CheckIndex(String key, long index) implements KvOp {}

  /** {@code check-session}: fail unless the key is locked by {@code session}. */
  record CheckSession(String key, String session) implements KvOp {}

  /** {@code check-not-exists}: fail if the key exists. */
  record CheckNotExists(String key) implements KvOp {}

  /** {@code delete}: remove the key if present. */
  record Delete(String key) implements KvOp {}

  /** {@code delete-cas}: remove the key only if its ModifyIndex equals {@code index}. */
  record DeleteCas(String key, long index) implements KvOp {}

  /** {@code delete-tree}: remove every key under the prefix. */
  record DeleteTree(String key) implements KvOp {}
}
