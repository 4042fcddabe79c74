package dev.reviewapps.devstack.nomad.cluster;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.nomad.job.JobSpec;
import java.util.ArrayList;
import java.util.List;

/** A registered job and its versions; mutated only under the cluster's lock. */
final class JobRecord {
  /** One version as registered, canonicalised, with its spec. */
  record Version(
      int number, ObjectNode submitted, JobSpec spec, long submitTimeNanos, long jobModifyIndex) {}

  final String id;
  final long createIndex;
  long modifyIndex;
  final List<Version> versions = new ArrayList<>();
  boolean stopped;

  JobRecord(String id, long createIndex) {
    this.id = id;
    this.createIndex = createIndex;
  }

  Version current() {
    return versions.get(versions.size() - 1);
  }

  JobSpec spec() {
    return current().spec();
  }
}
