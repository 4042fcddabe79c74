package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.Activity;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingGroup;
import software.amazon.awssdk.services.autoscaling.model.Instance;
import software.amazon.awssdk.services.autoscaling.model.LifecycleState;
import software.amazon.awssdk.services.autoscaling.model.ScalingActivityStatusCode;

class AutoScalingStandInTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static AwsStandIn aws;
  private static AutoScalingClient asg;

  @BeforeAll
  static void start() throws Exception {
    aws = AwsStandIn.start(AwsConfig.forTests());
    asg = SdkClients.of(aws).withoutRetries().autoScaling();
  }

  @AfterAll
  static void stop() {
    asg.close();
    aws.close();
  }

  private static void createGroup(String name, int min, int max, int desired) {
    asg.createAutoScalingGroup(
        b ->
            b.autoScalingGroupName(name)
                .minSize(min)
                .maxSize(max)
                .desiredCapacity(desired)
                .launchTemplate(t -> t.launchTemplateName("review-apps-node"))
                .availabilityZones("us-east-1a", "us-east-1b"));
  }

  private static AutoScalingGroup group(String name) {
    return asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames(name))
        .autoScalingGroups()
        .get(0);
  }

  private static List<LifecycleState> states(String name) {
    return group(name).instances().stream().map(Instance::lifecycleState).toList();
  }

  private static String errorCode(Throwable e) {
    return ((AutoScalingException) e).awsErrorDetails().errorCode();
  }

  @Test
  void instancesJoinAfterTheLaunchDelayWhenDesiredCapacityRises() {
    createGroup("nodes-up", 0, 4, 1);
    await()
        .atMost(BOUND)
        .until(() -> states("nodes-up").equals(List.of(LifecycleState.IN_SERVICE)));

    asg.setDesiredCapacity(b -> b.autoScalingGroupName("nodes-up").desiredCapacity(3));

    AutoScalingGroup scaling = group("nodes-up");
    assertThat(scaling.desiredCapacity()).isEqualTo(3);
    assertThat(scaling.instances()).hasSize(3);
    await()
        .atMost(BOUND)
        .until(() -> states("nodes-up").stream().allMatch(LifecycleState.IN_SERVICE::equals));
    assertThat(group("nodes-up").instances())
        .extracting(Instance::instanceId)
        .allMatch(id -> id.matches("i-[0-9a-f]{17}"))
        .doesNotHaveDuplicates();
    assertThat(group("nodes-up").instances())
        .extracting(Instance::availabilityZone)
        .contains("us-east-1a", "us-east-1b");
  }

  @Test
  void instancesLeaveThroughTerminatingWhenDesiredCapacityFalls() {
    createGroup("nodes-down", 0, 4, 3);
    await()
        .atMost(BOUND)
        .until(() -> states("nodes-down").stream().allMatch(LifecycleState.IN_SERVICE::equals));

    asg.setDesiredCapacity(b -> b.autoScalingGroupName("nodes-down").desiredCapacity(1));

    assertThat(group("nodes-down").desiredCapacity()).isEqualTo(1);
    await()
        .atMost(BOUND)
        .until(() -> states("nodes-down").equals(List.of(LifecycleState.IN_SERVICE)));
    List<Activity> activities =
        asg.describeScalingActivities(b -> b.autoScalingGroupName("nodes-down")).activities();
    assertThat(activities).hasSize(5);
    assertThat(activities.get(0).description()).startsWith("Terminating EC2 instance: i-");
    assertThat(activities.get(0).cause()).contains("changing the desired capacity from 3 to 1");
    assertThat(activities)
        .extracting(Activity::statusCode)
        .containsOnly(ScalingActivityStatusCode.SUCCESSFUL);
  }

  @Test
  void desiredCapacityOutsideMinMaxIsAValidationError() {
    createGroup("bounded", 1, 3, 1);

    assertThatThrownBy(
            () -> asg.setDesiredCapacity(b -> b.autoScalingGroupName("bounded").desiredCapacity(4)))
        .isInstanceOf(AutoScalingException.class)
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationError"))
        .satisfies(e -> assertThat(((AutoScalingException) e).statusCode()).isEqualTo(400))
        .hasMessageContaining("New SetDesiredCapacity value 4 is above max value 3");
    assertThatThrownBy(
            () -> asg.setDesiredCapacity(b -> b.autoScalingGroupName("bounded").desiredCapacity(0)))
        .hasMessageContaining("New SetDesiredCapacity value 0 is below min value 1");
    assertThat(group("bounded").desiredCapacity()).isEqualTo(1);
  }

  @Test
  void updateMovesTheBoundsAndKeepsDesiredCapacityInside() {
    createGroup("resized", 1, 5, 4);

    asg.updateAutoScalingGroup(b -> b.autoScalingGroupName("resized").maxSize(2));

    AutoScalingGroup updated = group("resized");
    assertThat(updated.maxSize()).isEqualTo(2);
    assertThat(updated.desiredCapacity()).isEqualTo(2);
    await().atMost(BOUND).until(() -> states("resized").size() == 2);
    assertThatThrownBy(
            () ->
                asg.updateAutoScalingGroup(
                    b -> b.autoScalingGroupName("resized").minSize(3).maxSize(2)))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationError"));
  }

  @Test
  void unknownGroupsAreValidationErrorsAndDescribeListsNothing() {
    assertThatThrownBy(
            () ->
                asg.setDesiredCapacity(
                    b -> b.autoScalingGroupName("missing-asg").desiredCapacity(1)))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ValidationError"))
        .hasMessageContaining("AutoScalingGroup name not found");
    assertThat(
            asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("missing-asg"))
                .autoScalingGroups())
        .isEmpty();
  }

  @Test
  void groupsAreCreatedOnceAndDeletedWhenEmptyOrForced() {
    createGroup("doomed", 0, 2, 1);
    assertThatThrownBy(() -> createGroup("doomed", 0, 2, 1))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("AlreadyExists"));
    assertThatThrownBy(() -> asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("doomed")))
        .satisfies(e -> assertThat(errorCode(e)).isEqualTo("ResourceInUse"));

    asg.deleteAutoScalingGroup(b -> b.autoScalingGroupName("doomed").forceDelete(true));

    assertThat(
            asg.describeAutoScalingGroups(b -> b.autoScalingGroupNames("doomed"))
                .autoScalingGroups())
        .isEmpty();
  }

  @Test
  void describePagesWithNextTokenAndShowsTags() {
    for (String name : List.of("paged-1", "paged-2", "paged-3")) {
      asg.createAutoScalingGroup(
          b ->
              b.autoScalingGroupName(name)
                  .minSize(0)
                  .maxSize(1)
                  .launchTemplate(t -> t.launchTemplateName("node"))
                  .vpcZoneIdentifier("subnet-1")
                  .tags(t -> t.key("review-app").value(name).propagateAtLaunch(true)));
    }

    List<AutoScalingGroup> all =
        asg
            .describeAutoScalingGroupsPaginator(
                b -> b.autoScalingGroupNames("paged-1", "paged-2", "paged-3").maxRecords(2))
            .autoScalingGroups()
            .stream()
            .toList();

    assertThat(all)
        .extracting(AutoScalingGroup::autoScalingGroupName)
        .containsExactly("paged-1", "paged-2", "paged-3");
    assertThat(all.get(1).tags())
        .singleElement()
        .satisfies(
            t -> {
              assertThat(t.key()).isEqualTo("review-app");
              assertThat(t.value()).isEqualTo("paged-2");
              assertThat(t.propagateAtLaunch()).isTrue();
            });
    assertThat(all.get(0).vpcZoneIdentifier()).isEqualTo("subnet-1");
  }
}
