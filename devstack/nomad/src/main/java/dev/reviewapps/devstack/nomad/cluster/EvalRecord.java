package dev.reviewapps.devstack.nomad.cluster;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An evaluation; mutated only under the cluster's lock. */
final class EvalRecord {
  final String id;
  final String jobId;
  final String type;
  final int priority;
  final String triggeredBy;
  final long jobModifyIndex;
  final long createIndex;
  final long createTimeNanos;
  long modifyIndex;
  long modifyTimeNanos;
  String status = "pending";
  String statusDescription = "";
  Optional<String> blockedEval = Optional.empty();
  Optional<String> previousEval = Optional.empty();

  /** Per task group, why some of its allocations could not be placed. */
  final Map<String, PlacementFailure> failedGroups = new LinkedHashMap<>();

  /** Per task group, how many allocations wait for placement. */
  final Map<String, Integer> queued = new LinkedHashMap<>();

  EvalRecord(
      String id,
      String jobId,
      String type,
      int priority,
      String triggeredBy,
      long jobModifyIndex,
      long index,
      long nowNanos) {
    this.id = id;
    this.jobId = jobId;
    this.type = type;
    this.priority = priority;
    this.triggeredBy = triggeredBy;
    this.jobModifyIndex = jobModifyIndex;
    this.createIndex = index;
    this.modifyIndex = index;
    this.createTimeNanos = nowNanos;
    this.modifyTimeNanos = nowNanos;
  }
}
