package dev.reviewapps.devstack.nomad.cluster;

import dev.reviewapps.devstack.nomad.check.CheckResult;
import dev.reviewapps.devstack.nomad.exec.AllocRunner;
import dev.reviewapps.devstack.nomad.exec.TaskState;
import dev.reviewapps.devstack.nomad.job.GroupSpec;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** An allocation; mutated only under the cluster's lock. */
final class AllocRecord {
  final String id;
  final String evalId;
  final String name;
  final int index;
  final String jobId;
  final String group;
  JobRecord.Version jobVersion;
  final Map<String, Integer> ports;
  final long createIndex;
  final long createTimeNanos;
  long modifyIndex;
  long allocModifyIndex;
  long modifyTimeNanos;
  String desiredStatus = "run";
  String desiredDescription = "";
  String clientStatus = "pending";
  String clientDescription = "";
  Map<String, TaskState> taskStates = new LinkedHashMap<>();

  /** Service check results by check ID. */
  Map<String, CheckResult> checks = new LinkedHashMap<>();

  Optional<Boolean> healthy = Optional.empty();

  /** Since when its tasks run with passing checks (0: not now), for min_healthy_time. */
  long passingSinceNanos;

  /** The deployment that placed it ("" when none), and whether as a canary. */
  String deploymentId = "";

  boolean canary;
  long healthModifyIndex;
  Optional<AllocRunner> runner = Optional.empty();

  AllocRecord(
      String id,
      String evalId,
      String name,
      int index,
      String jobId,
      String group,
      JobRecord.Version jobVersion,
      Map<String, Integer> ports,
      long createIndex,
      long nowNanos) {
    this.id = id;
    this.evalId = evalId;
    this.name = name;
    this.index = index;
    this.jobId = jobId;
    this.group = group;
    this.jobVersion = jobVersion;
    this.ports = Map.copyOf(ports);
    this.createIndex = createIndex;
    this.modifyIndex = createIndex;
    this.allocModifyIndex = createIndex;
    this.createTimeNanos = nowNanos;
    this.modifyTimeNanos = nowNanos;
  }

  GroupSpec groupSpec() {
    return jobVersion.spec().group(group).orElseThrow();
  }

  boolean clientTerminal() {
    return clientStatus.equals("complete")
        || clientStatus.equals("failed")
        || clientStatus.equals("lost");
  }

  /** Whether the scheduler counts this allocation's resources as taken. */
  boolean holdsResources() {
    return desiredStatus.equals("run") && !clientTerminal();
  }
}
