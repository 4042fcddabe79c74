package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.client.inventory.Footprint;
import java.util.List;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;

/**
 * Sizes the review apps' Auto Scaling Group: reads its min and max, packs the allocations and sets
 * the desired capacity when it differs. Setting the same value again is skipped, so a resync of
 * every app costs one DescribeAutoScalingGroups each.
 */
public final class AutoScalingCapacity implements CapacityProvider {

  private final AutoScalingClient autoScaling;
  private final String groupName;
  private final CapacityPlanner planner;

  public AutoScalingCapacity(
      AutoScalingClient autoScaling, String groupName, CapacityPlanner planner) {
    this.autoScaling = autoScaling;
    this.groupName = groupName;
    this.planner = planner;
  }

  @Override
  public CapacityOutcome ensure(List<Footprint> allocations) {
    AutoScalingGroup group =
        autoScaling
            .describeAutoScalingGroups(r -> r.autoScalingGroupNames(groupName))
            .autoScalingGroups()
            .stream()
            .filter(g -> groupName.equals(g.autoScalingGroupName()))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("Auto Scaling Group not found: " + groupName));
    int min = group.minSize() == null ? 0 : group.minSize();
    int max = group.maxSize() == null ? Integer.MAX_VALUE : group.maxSize();
    CapacityPlanner.CapacityPlan plan = planner.plan(allocations, min, max);
    Integer current = group.desiredCapacity();
    if (current == null || current != plan.desiredInstances()) {
      // HonorCooldown=false: the controller's own decision, not a reaction to an alarm.
      autoScaling.setDesiredCapacity(
          r ->
              r.autoScalingGroupName(groupName)
                  .desiredCapacity(plan.desiredInstances())
                  .honorCooldown(false));
    }
    String message =
        "group "
            + groupName
            + " desired "
            + plan.desiredInstances()
            + " ("
            + plan.neededInstances()
            + " needed, bounds "
            + min
            + ".."
            + (max == Integer.MAX_VALUE ? "unbounded" : max)
            + ")";
    return plan.fits()
        ? new CapacityOutcome.Sufficient(plan.desiredInstances(), message)
        : new CapacityOutcome.Insufficient(
            plan.desiredInstances(), message + StaticCapacity.describe(plan));
  }
}
