package dev.reviewapps.devstack.aws.autoscaling;

import dev.reviewapps.devstack.aws.autoscaling.ScalingGroup.Activity;
import dev.reviewapps.devstack.aws.autoscaling.ScalingGroup.GroupInstance;
import dev.reviewapps.devstack.aws.protocol.AwsError;
import dev.reviewapps.devstack.aws.protocol.Page;
import dev.reviewapps.devstack.aws.protocol.QueryParams;
import dev.reviewapps.devstack.aws.protocol.QueryProtocol;
import dev.reviewapps.devstack.aws.protocol.QueryService;
import dev.reviewapps.devstack.aws.protocol.Xml;
import dev.reviewapps.devstack.http.Reply;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Auto Scaling over the Query protocol. Changing a group's desired capacity starts one activity per
 * instance launched or terminated; each completes after the configured delay.
 */
public final class AutoScalingService implements QueryService {
  private static final Logger log = LoggerFactory.getLogger(AutoScalingService.class);
  private static final String NAMESPACE = "http://autoscaling.amazonaws.com/doc/2011-01-01/";

  private final String region;
  private final String accountId;
  private final AutoScalingTiming timing;
  private final ScheduledExecutorService lifecycle;
  private final Clock clock;
  private final Map<String, ScalingGroup> groups = new TreeMap<>();

  public AutoScalingService(
      String region,
      String accountId,
      AutoScalingTiming timing,
      ScheduledExecutorService lifecycle,
      Clock clock) {
    this.region = region;
    this.accountId = accountId;
    this.timing = timing;
    this.lifecycle = lifecycle;
    this.clock = clock;
  }

  @Override
  public String apiVersion() {
    return "2011-01-01";
  }

  @Override
  public String signingName() {
    return "autoscaling";
  }

  @Override
  public String namespace() {
    return NAMESPACE;
  }

  @Override
  public synchronized Reply handle(String action, QueryParams p, String requestId) {
    switch (action) {
      case "CreateAutoScalingGroup" -> create(p);
      case "UpdateAutoScalingGroup" -> update(p);
      case "SetDesiredCapacity" -> setDesired(p);
      case "DeleteAutoScalingGroup" -> delete(p);
      case "DescribeAutoScalingGroups" -> {
        return describeGroups(p, action, requestId);
      }
      case "DescribeScalingActivities" -> {
        return describeActivities(p, action, requestId);
      }
      default -> throw QueryService.unknownAction(action);
    }
    return QueryProtocol.okWithoutResult(NAMESPACE, action, requestId);
  }

  private void create(QueryParams p) {
    String name = p.required("AutoScalingGroupName");
    int min = p.integer("MinSize").orElseThrow(() -> AwsError.missingParameter("MinSize"));
    int max = p.integer("MaxSize").orElseThrow(() -> AwsError.missingParameter("MaxSize"));
    int desired = p.integer("DesiredCapacity").orElse(min);
    if (groups.containsKey(name)) {
      throw new AwsError(
          400,
          "AlreadyExists",
          "AutoScalingGroup by this name already exists - A group with the name "
              + name
              + " already exists");
    }
    Optional<String> template =
        p.get("LaunchTemplate.LaunchTemplateName")
            .or(() -> p.get("LaunchTemplate.LaunchTemplateId"));
    Optional<String> configuration = p.get("LaunchConfigurationName");
    if (template.isEmpty()
        && configuration.isEmpty()
        && p.get("InstanceId").isEmpty()
        && p.get(
                "MixedInstancesPolicy.LaunchTemplate.LaunchTemplateSpecification.LaunchTemplateName")
            .isEmpty()) {
      throw validation(
          "Valid requests must contain either LaunchTemplate, LaunchConfigurationName, InstanceId"
              + " or MixedInstancesPolicy parameter.");
    }
    List<String> zones = p.strings("AvailabilityZones");
    Optional<String> subnets = p.get("VPCZoneIdentifier");
    if (zones.isEmpty() && subnets.isEmpty()) {
      throw validation("At least one Availability Zone or VPC Subnet is required.");
    }
    checkBounds(min, max, desired);
    String arn =
        "arn:aws:autoscaling:"
            + region
            + ":"
            + accountId
            + ":autoScalingGroup:"
            + UUID.randomUUID()
            + ":autoScalingGroupName/"
            + name;
    ScalingGroup group =
        new ScalingGroup(
            name,
            arn,
            clock.instant(),
            zones.isEmpty() ? List.of(region + "a") : zones,
            subnets,
            template,
            configuration);
    group.minSize = min;
    group.maxSize = max;
    for (QueryParams tag : p.list("Tags")) {
      String key = tag.required("Key");
      group.tags.put(
          key,
          new ScalingGroup.Tag(
              key, tag.get("Value").orElse(""), tag.bool("PropagateAtLaunch").orElse(false)));
    }
    groups.put(name, group);
    changeDesired(
        group,
        desired,
        "a user request created an AutoScalingGroup changing the desired capacity from 0 to "
            + desired);
  }

  private void update(QueryParams p) {
    ScalingGroup group = group(p.required("AutoScalingGroupName"));
    int min = p.integer("MinSize").orElse(group.minSize);
    int max = p.integer("MaxSize").orElse(group.maxSize);
    Optional<Integer> asked = p.integer("DesiredCapacity");
    // Without a desired capacity AWS moves the current one into the new bounds.
    int desired = asked.orElse(Math.max(min, Math.min(max, group.desiredCapacity)));
    checkBounds(min, max, desired);
    int before = group.desiredCapacity;
    group.minSize = min;
    group.maxSize = max;
    changeDesired(
        group,
        desired,
        "a user request update of AutoScalingGroup constraints to min: "
            + min
            + ", max: "
            + max
            + ", desired: "
            + desired
            + " changing the desired capacity from "
            + before
            + " to "
            + desired);
  }

  private void setDesired(QueryParams p) {
    ScalingGroup group = group(p.required("AutoScalingGroupName"));
    int desired =
        p.integer("DesiredCapacity")
            .orElseThrow(() -> AwsError.missingParameter("DesiredCapacity"));
    if (desired > group.maxSize) {
      throw validation(
          "New SetDesiredCapacity value "
              + desired
              + " is above max value "
              + group.maxSize
              + " for the AutoScalingGroup.");
    }
    if (desired < group.minSize) {
      throw validation(
          "New SetDesiredCapacity value "
              + desired
              + " is below min value "
              + group.minSize
              + " for the AutoScalingGroup.");
    }
    changeDesired(
        group,
        desired,
        "a user request explicitly set group desired capacity changing the desired capacity from "
            + group.desiredCapacity
            + " to "
            + desired);
  }

  private void delete(QueryParams p) {
    ScalingGroup group = group(p.required("AutoScalingGroupName"));
    boolean force = p.bool("ForceDelete").orElse(false);
    if (!group.instances.isEmpty() && !force) {
      throw new AwsError(
          400,
          "ResourceInUse",
          "You cannot delete an AutoScalingGroup while there are instances or pending Spot"
              + " instance request(s) still in the group.");
    }
    groups.remove(group.name);
  }

  private static void checkBounds(int min, int max, int desired) {
    if (min > max) {
      throw validation(
          "Max bound, " + max + ", must be greater than or equal to min bound, " + min);
    }
    if (desired < min || desired > max) {
      throw validation(
          "Desired capacity:"
              + desired
              + " must be between the specified min size:"
              + min
              + " and max size:"
              + max);
    }
  }

  private static AwsError validation(String message) {
    return new AwsError(400, "ValidationError", message);
  }

  private ScalingGroup group(String name) {
    ScalingGroup group = groups.get(name);
    if (group == null) {
      throw validation("AutoScalingGroup name not found - AutoScalingGroup " + name + " not found");
    }
    return group;
  }

  /** Launches or terminates instances until the active ones match the new desired capacity. */
  private void changeDesired(ScalingGroup group, int desired, String reason) {
    group.desiredCapacity = desired;
    String cause = "At " + clock.instant() + " " + reason + ".";
    while (group.active() < desired) {
      launch(group, cause);
    }
    while (group.active() > desired) {
      terminate(group, cause);
    }
  }

  private void launch(ScalingGroup group, String cause) {
    String zone =
        group.availabilityZones.get(group.instances.size() % group.availabilityZones.size());
    GroupInstance instance = new GroupInstance(instanceId(), zone);
    group.instances.add(instance);
    Activity activity = record(group, "Launching a new EC2 instance: " + instance.id, cause);
    after(
        timing.launch(),
        () -> {
          if (instance.lifecycleState.equals("Pending")) {
            instance.lifecycleState = "InService";
          }
          finish(activity);
        });
  }

  /** AWS's default policy, simplified: an instance still launching goes first, else the oldest. */
  private void terminate(ScalingGroup group, String cause) {
    GroupInstance victim =
        group.instances.stream()
            .filter(i -> i.lifecycleState.equals("Pending"))
            .reduce((a, b) -> b)
            .orElseGet(
                () ->
                    group.instances.stream()
                        .filter(i -> i.lifecycleState.equals("InService"))
                        .findFirst()
                        .orElseThrow());
    victim.lifecycleState = "Terminating";
    Activity activity = record(group, "Terminating EC2 instance: " + victim.id, cause);
    after(
        timing.terminate(),
        () -> {
          group.instances.remove(victim);
          finish(activity);
        });
  }

  private Activity record(ScalingGroup group, String description, String cause) {
    Activity activity =
        new Activity(UUID.randomUUID().toString(), description, cause, clock.instant());
    group.activities.add(0, activity);
    return activity;
  }

  private void finish(Activity activity) {
    activity.statusCode = "Successful";
    activity.end = Optional.of(clock.instant());
  }

  private void after(Duration delay, Runnable change) {
    lifecycle.schedule(
        () -> {
          synchronized (this) {
            try {
              change.run();
            } catch (RuntimeException e) {
              log.warn("Auto Scaling lifecycle task failed", e);
            }
          }
        },
        delay.toMillis(),
        TimeUnit.MILLISECONDS);
  }

  private static String instanceId() {
    StringBuilder id = new StringBuilder("i-");
    for (int i = 0; i < 17; i++) {
      id.append(Character.forDigit(ThreadLocalRandom.current().nextInt(16), 16));
    }
    return id.toString();
  }

  private Reply describeGroups(QueryParams p, String action, String requestId) {
    List<String> names = p.strings("AutoScalingGroupNames");
    List<ScalingGroup> matching =
        groups.values().stream().filter(g -> names.isEmpty() || names.contains(g.name)).toList();
    Page<ScalingGroup> page =
        Page.of(matching, g -> g.name, p.get("NextToken"), Page.maxRecords(p, 1, 100, 50));
    return QueryProtocol.ok(
        NAMESPACE,
        action,
        requestId,
        xml -> {
          xml.open("AutoScalingGroups");
          page.items().forEach(g -> group(xml, g));
          xml.close();
          page.nextMarker().ifPresent(t -> xml.leaf("NextToken", t));
        });
  }

  private void group(Xml xml, ScalingGroup g) {
    xml.open("member").leaf("AutoScalingGroupName", g.name).leaf("AutoScalingGroupARN", g.arn);
    g.launchConfigurationName.ifPresent(c -> xml.leaf("LaunchConfigurationName", c));
    g.launchTemplateName.ifPresent(
        t ->
            xml.open("LaunchTemplate")
                .leaf("LaunchTemplateName", t)
                .leaf("Version", "$Default")
                .close());
    xml.leaf("MinSize", g.minSize)
        .leaf("MaxSize", g.maxSize)
        .leaf("DesiredCapacity", g.desiredCapacity)
        .leaf("DefaultCooldown", 300);
    members(xml, "AvailabilityZones", g.availabilityZones);
    members(xml, "LoadBalancerNames", List.of());
    members(xml, "TargetGroupARNs", List.of());
    xml.leaf("HealthCheckType", "EC2").leaf("HealthCheckGracePeriod", 300);
    xml.open("Instances");
    for (GroupInstance i : g.instances) {
      xml.open("member")
          .leaf("InstanceId", i.id)
          .leaf("InstanceType", "t3.micro")
          .leaf("AvailabilityZone", i.availabilityZone)
          .leaf("LifecycleState", i.lifecycleState)
          .leaf("HealthStatus", "Healthy");
      g.launchConfigurationName.ifPresent(c -> xml.leaf("LaunchConfigurationName", c));
      g.launchTemplateName.ifPresent(
          t ->
              xml.open("LaunchTemplate")
                  .leaf("LaunchTemplateName", t)
                  .leaf("Version", "1")
                  .close());
      xml.leaf("ProtectedFromScaleIn", false).close();
    }
    xml.close();
    xml.time("CreatedTime", g.created);
    members(xml, "SuspendedProcesses", List.of());
    g.vpcZoneIdentifier.ifPresent(v -> xml.leaf("VPCZoneIdentifier", v));
    members(xml, "EnabledMetrics", List.of());
    xml.open("Tags");
    for (ScalingGroup.Tag t : g.tags.values()) {
      xml.open("member")
          .leaf("ResourceId", g.name)
          .leaf("ResourceType", "auto-scaling-group")
          .leaf("Key", t.key())
          .leaf("Value", t.value())
          .leaf("PropagateAtLaunch", t.propagateAtLaunch())
          .close();
    }
    xml.close();
    members(xml, "TerminationPolicies", List.of("Default"));
    xml.leaf("NewInstancesProtectedFromScaleIn", false)
        .leaf(
            "ServiceLinkedRoleARN",
            "arn:aws:iam::"
                + accountId
                + ":role/aws-service-role/autoscaling.amazonaws.com/AWSServiceRoleForAutoScaling")
        .leaf("CapacityRebalance", false)
        .close();
  }

  private static void members(Xml xml, String name, List<String> values) {
    xml.open(name);
    values.forEach(v -> xml.leaf("member", v));
    xml.close();
  }

  private Reply describeActivities(QueryParams p, String action, String requestId) {
    Optional<String> name = p.get("AutoScalingGroupName");
    List<String> ids = p.strings("ActivityIds");
    List<Activity> all = new ArrayList<>();
    Map<Activity, ScalingGroup> owner = new java.util.IdentityHashMap<>();
    for (ScalingGroup g : groups.values()) {
      if (name.isPresent() && !name.get().equals(g.name)) {
        continue;
      }
      for (Activity a : g.activities) {
        if (ids.isEmpty() || ids.contains(a.id)) {
          all.add(a);
          owner.put(a, g);
        }
      }
    }
    all.sort(Comparator.comparing((Activity a) -> a.start).reversed());
    // Pages by position: activities are never removed, so a position stays valid.
    List<String> positions = new ArrayList<>();
    for (int i = 0; i < all.size(); i++) {
      positions.add(String.format("%010d", i));
    }
    Page<String> page = Page.of(positions, s -> s, p.get("NextToken"), Page.maxRecords(p, 1, 100));
    return QueryProtocol.ok(
        NAMESPACE,
        action,
        requestId,
        xml -> {
          xml.open("Activities");
          for (String position : page.items()) {
            Activity a = all.get(Integer.parseInt(position));
            activity(xml, a, owner.get(a));
          }
          xml.close();
          page.nextMarker().ifPresent(t -> xml.leaf("NextToken", t));
        });
  }

  private static void activity(Xml xml, Activity a, ScalingGroup g) {
    xml.open("member")
        .leaf("ActivityId", a.id)
        .leaf("AutoScalingGroupName", g.name)
        .leaf("AutoScalingGroupARN", g.arn)
        .leaf("Description", a.description)
        .leaf("Cause", a.cause)
        .time("StartTime", a.start);
    a.end.ifPresent(e -> xml.time("EndTime", e));
    xml.leaf("StatusCode", a.statusCode)
        .leaf("Progress", a.statusCode.equals("Successful") ? 100 : 50)
        .leaf("Details", "{\"Availability Zone\":\"" + g.availabilityZones.get(0) + "\"}")
        .close();
  }
}
