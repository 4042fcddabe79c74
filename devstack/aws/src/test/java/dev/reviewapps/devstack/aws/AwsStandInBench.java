package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Calls per second through the SDK clients, one thread, after a warm-up: what a controller test
 * pays per AWS call. Run with {@code make bench}.
 */
@Tag("bench")
class AwsStandInBench {
  private static final int WARM_UP = 200;
  private static final int CALLS = 1000;

  private static void measure(String what, Runnable call) {
    for (int i = 0; i < WARM_UP; i++) {
      call.run();
    }
    long start = System.nanoTime();
    for (int i = 0; i < CALLS; i++) {
      call.run();
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    System.out.printf(
        "%-40s %6.0f calls/s  %6.2f ms/call%n", what, CALLS / seconds, seconds * 1000 / CALLS);
  }

  @Test
  void callsPerSecondThroughTheSdk() throws Exception {
    try (AwsStandIn aws = AwsStandIn.start(AwsConfig.forTests());
        RdsClient rds = SdkClients.of(aws).rds();
        AutoScalingClient asg = SdkClients.of(aws).autoScaling();
        S3Client s3 = SdkClients.of(aws).s3Plain()) {
      rds.createDBInstance(
          b ->
              b.dbInstanceIdentifier("bench")
                  .engine("postgres")
                  .dbInstanceClass("db.t3.micro")
                  .masterUsername("app")
                  .masterUserPassword("secret-123"));
      asg.createAutoScalingGroup(
          b ->
              b.autoScalingGroupName("bench")
                  .minSize(0)
                  .maxSize(10)
                  .launchTemplate(t -> t.launchTemplateName("node"))
                  .availabilityZones("us-east-1a"));
      s3.createBucket(b -> b.bucket("bench"));
      int[] n = {0};

      measure(
          "rds DescribeDBInstances",
          () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("bench")));
      measure(
          "autoscaling SetDesiredCapacity",
          () ->
              asg.setDesiredCapacity(
                  b -> b.autoScalingGroupName("bench").desiredCapacity(n[0]++ % 10)));
      measure(
          "s3 PutObject (1 KiB, unchunked)",
          () ->
              s3.putObject(
                  b -> b.bucket("bench").key("objects/" + (n[0]++ % 2500)),
                  RequestBody.fromBytes(new byte[1024])));
      s3.putObject(b -> b.bucket("bench").key("read-me"), RequestBody.fromBytes(new byte[1024]));
      measure(
          "s3 GetObject (1 KiB)", () -> s3.getObjectAsBytes(b -> b.bucket("bench").key("read-me")));
      // Measured again, now that the JIT has seen every path.
      measure(
          "rds DescribeDBInstances (again)",
          () -> rds.describeDBInstances(b -> b.dbInstanceIdentifier("bench")));

      IntStream.range(0, 2500)
          .forEach(
              i ->
                  s3.putObject(
                      b -> b.bucket("bench").key("objects/" + i), RequestBody.fromString("x")));
      long start = System.nanoTime();
      long keys =
          s3.listObjectsV2Paginator(b -> b.bucket("bench").prefix("objects/")).contents().stream()
              .count();
      System.out.printf(
          "%-40s %6.1f ms for %d keys in 3 pages%n",
          "s3 ListObjectsV2 paginated", (System.nanoTime() - start) / 1e6, keys);
      assertThat(keys).isEqualTo(2500);
    }
  }
}
