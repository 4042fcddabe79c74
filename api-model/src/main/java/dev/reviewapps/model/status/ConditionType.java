package dev.reviewapps.model.status;

/**
 * One condition per reconcile step, in the order the steps run, and then {@code Awake}, which no
 * step sets: whether the app runs its processes or sleeps, and when it last had a request.
 */
public enum ConditionType {
  Valid,
  DatabaseReady,
  CapacityReady,
  RedisReady,
  Migrated,
  Seeded,
  WebReady,
  WorkerReady,
  Routed,
  Awake
}
