package dev.reviewapps.devstack.nomad.cluster;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A deployment: made when a job with an update block gets a new version, as Nomad does. Each group
 * with canaries waits for promotion before its old allocations stop. Mutated only under the
 * cluster's lock.
 */
final class DeploymentRecord {
  final String id;
  final String jobId;
  final long jobVersion;
  final long jobModifyIndex;
  final long jobCreateIndex;
  final long createIndex;
  long modifyIndex;
  String status = "running";
  String statusDescription = "Deployment is running but requires manual promotion";
  final Map<String, GroupState> groups = new LinkedHashMap<>();

  /** One task group's progress in the deployment. */
  static final class GroupState {
    final int desiredCanaries;
    final int desiredTotal;
    final boolean autoPromote;
    boolean promoted;
    final List<String> placedCanaries = new ArrayList<>();

    GroupState(int desiredCanaries, int desiredTotal, boolean autoPromote) {
      this.desiredCanaries = desiredCanaries;
      this.desiredTotal = desiredTotal;
      this.autoPromote = autoPromote;
    }

    /** Old allocations of the group may be replaced: no canary to wait for, or promoted. */
    boolean released() {
      return desiredCanaries == 0 || promoted;
    }
  }

  DeploymentRecord(
      String id,
      String jobId,
      long jobVersion,
      long jobModifyIndex,
      long jobCreateIndex,
      long createIndex) {
    this.id = id;
    this.jobId = jobId;
    this.jobVersion = jobVersion;
    this.jobModifyIndex = jobModifyIndex;
    this.jobCreateIndex = jobCreateIndex;
    this.createIndex = createIndex;
    this.modifyIndex = createIndex;
  }

  boolean active() {
    return status.equals("running");
  }

  boolean needsPromotion() {
    return groups.values().stream().anyMatch(g -> !g.released());
  }
}
