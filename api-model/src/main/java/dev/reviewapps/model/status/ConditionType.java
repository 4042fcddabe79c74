package dev.reviewapps.model.status;

/** One condition per reconcile step, in the order the steps run. */
public enum ConditionType {
  Valid,
  DatabaseReady,
  CapacityReady,
  RedisReady,
  Migrated,
  Seeded,
  WebReady,
  WorkerReady,
  Routed
}
