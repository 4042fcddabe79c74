package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.devstack.aws.faults.FaultRule;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.autoscaling.model.AutoScalingException;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class FaultInjectionTest {
  private AwsStandIn aws;

  @BeforeEach
  void start() throws Exception {
    aws = AwsStandIn.start(AwsConfig.forTests());
    try (AutoScalingClient asg = SdkClients.of(aws).autoScaling()) {
      asg.createAutoScalingGroup(
          b ->
              b.autoScalingGroupName("orders-asg")
                  .minSize(0)
                  .maxSize(4)
                  .launchTemplate(t -> t.launchTemplateName("node"))
                  .availabilityZones("us-east-1a"));
    }
  }

  @AfterEach
  void stop() {
    aws.close();
  }

  @Test
  void throttlingIsSeenWithRetriesOffAndAbsorbedWithRetriesOn() {
    aws.faults().set(FaultRule.throttle("autoscaling:SetDesiredCapacity").times(2));
    try (AutoScalingClient once = SdkClients.of(aws).withoutRetries().autoScaling();
        AutoScalingClient retrying = SdkClients.of(aws).autoScaling()) {
      assertThatThrownBy(
              () ->
                  once.setDesiredCapacity(
                      b -> b.autoScalingGroupName("orders-asg").desiredCapacity(2)))
          .isInstanceOfSatisfying(
              AutoScalingException.class,
              e -> {
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
                assertThat(e.statusCode()).isEqualTo(400);
                assertThat(e.isThrottlingException()).isTrue();
              });

      // One throttled call is left; the SDK's standard retries take it and succeed.
      retrying.setDesiredCapacity(b -> b.autoScalingGroupName("orders-asg").desiredCapacity(2));

      assertThat(
              retrying
                  .describeAutoScalingGroups(b -> b.autoScalingGroupNames("orders-asg"))
                  .autoScalingGroups()
                  .get(0)
                  .desiredCapacity())
          .isEqualTo(2);
      assertThat(aws.faults().rules()).isEmpty();
    }
  }

  @Test
  void serverErrorsHitOnlyTheTargetedAction() {
    aws.faults().set(FaultRule.error("rds:CreateDBInstance", 503));
    try (RdsClient rds = SdkClients.of(aws).withoutRetries().rds()) {
      assertThatThrownBy(
              () ->
                  rds.createDBInstance(
                      b ->
                          b.dbInstanceIdentifier("x")
                              .engine("postgres")
                              .dbInstanceClass("db.t3.micro")
                              .masterUsername("app")
                              .masterUserPassword("secret-123")))
          .isInstanceOfSatisfying(
              RdsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ServiceUnavailable");
              });
      assertThat(rds.describeDBInstances().dbInstances()).isEmpty();
    }
  }

  @Test
  void s3IsThrottledWithSlowDown() {
    aws.faults().set(FaultRule.throttle("s3:*"));
    try (S3Client s3 = SdkClients.of(aws).withoutRetries().s3Plain()) {
      assertThatThrownBy(
              () -> s3.putObject(b -> b.bucket("b").key("k"), RequestBody.fromString("x")))
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(503);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SlowDown");
              });
    }
  }

  @Test
  void aShareOfCallsIsThrottled() {
    aws.faults().set(FaultRule.throttle("rds:DescribeDBInstances").share(0.5));
    int throttled = 0;
    try (RdsClient rds = SdkClients.of(aws).withoutRetries().rds()) {
      for (int i = 0; i < 100; i++) {
        try {
          rds.describeDBInstances();
        } catch (RdsException e) {
          assertThat(e.awsErrorDetails().errorCode()).isEqualTo("Throttling");
          throttled++;
        }
      }
    }
    assertThat(throttled).isBetween(25, 75);
  }

  @Test
  void latencyDelaysTheAnswer() {
    aws.faults()
        .set(FaultRule.latency("autoscaling:DescribeAutoScalingGroups", Duration.ofMillis(300)));
    try (AutoScalingClient asg = SdkClients.of(aws).autoScaling()) {
      long start = System.nanoTime();
      asg.describeAutoScalingGroups();
      assertThat(Duration.ofNanos(System.nanoTime() - start))
          .isGreaterThanOrEqualTo(Duration.ofMillis(300));
    }
  }

  private static HttpResponse<String> put(HttpClient http, URI uri, String json) throws Exception {
    return http.send(
        HttpRequest.newBuilder(uri).PUT(HttpRequest.BodyPublishers.ofString(json)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void adminEndpointSetsListsAndClearsRules() throws Exception {
    HttpClient http = HttpClient.newHttpClient();
    URI rule = aws.endpoint().resolve("/_devstack/faults/rds:DescribeDBInstances");

    assertThat(put(http, rule, "{\"throttle\":1.0,\"times\":1}").statusCode()).isEqualTo(200);
    String listed =
        http.send(
                HttpRequest.newBuilder(aws.endpoint().resolve("/_devstack/faults")).build(),
                HttpResponse.BodyHandlers.ofString())
            .body();
    assertThat(listed).contains("\"target\":\"rds:DescribeDBInstances\"").contains("\"times\":1");

    try (RdsClient rds = SdkClients.of(aws).withoutRetries().rds()) {
      assertThatThrownBy(rds::describeDBInstances).isInstanceOf(RdsException.class);
      assertThat(rds.describeDBInstances().dbInstances()).isEmpty();
    }
    assertThat(put(http, rule, "{\"throttle\":2}").statusCode()).isEqualTo(400);
    http.send(
        HttpRequest.newBuilder(aws.endpoint().resolve("/_devstack/faults")).DELETE().build(),
        HttpResponse.BodyHandlers.discarding());
    assertThat(aws.faults().rules()).isEmpty();
  }
}
