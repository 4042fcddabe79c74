package dev.reviewapps.devstack.aws.autoscaling;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** One Auto Scaling group's state, guarded by the {@link AutoScalingService}'s lock. */
final class ScalingGroup {
  final String name;
  final String arn;
  final Instant created;
  final List<String> availabilityZones;
  final Optional<String> vpcZoneIdentifier;
  final Optional<String> launchTemplateName;
  final Optional<String> launchConfigurationName;
  int minSize;
  int maxSize;
  int desiredCapacity;
  final Map<String, Tag> tags = new LinkedHashMap<>();

  /** Instances in launch order. */
  final List<GroupInstance> instances = new ArrayList<>();

  /** Newest first, as DescribeScalingActivities lists them. */
  final List<Activity> activities = new ArrayList<>();

  record Tag(String key, String value, boolean propagateAtLaunch) {}

  /** An EC2 instance of the group; the lifecycle state changes as it joins and leaves. */
  static final class GroupInstance {
    final String id;
    final String availabilityZone;
    String lifecycleState = "Pending";

    GroupInstance(String id, String availabilityZone) {
      this.id = id;
      this.availabilityZone = availabilityZone;
    }
  }

  /** A scaling activity: one instance launched or terminated. */
  static final class Activity {
    final String id;
    final String description;
    final String cause;
    final Instant start;
    Optional<Instant> end = Optional.empty();
    String statusCode = "InProgress";

    Activity(String id, String description, String cause, Instant start) {
      this.id = id;
      this.description = description;
      this.cause = cause;
      this.start = start;
    }
  }

  ScalingGroup(
      String name,
      String arn,
      Instant created,
      List<String> availabilityZones,
      Optional<String> vpcZoneIdentifier,
      Optional<String> launchTemplateName,
      Optional<String> launchConfigurationName) {
    this.name = name;
    this.arn = arn;
    this.created = created;
    this.availabilityZones = List.copyOf(availabilityZones);
    this.vpcZoneIdentifier = vpcZoneIdentifier;
    this.launchTemplateName = launchTemplateName;
    this.launchConfigurationName = launchConfigurationName;
  }

  /** Instances that count towards the desired capacity (not on their way out). */
  long active() {
    return instances.stream().filter(i -> !i.lifecycleState.startsWith("Terminating")).count();
  }
}
