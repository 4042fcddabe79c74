package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.rds.model.RdsException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Exception;

class StrictSignatureTest {
  private static AwsStandIn aws;

  @BeforeAll
  static void start() throws Exception {
    aws =
        AwsStandIn.start(
            AwsConfig.forTests().withCredentials(Map.of(SdkClients.ACCESS_KEY, SdkClients.SECRET)));
  }

  @AfterAll
  static void stop() {
    aws.close();
  }

  @Test
  void rightSecretIsAcceptedByEveryService() {
    SdkClients clients = SdkClients.of(aws).withoutRetries();
    try (RdsClient rds = clients.rds();
        AutoScalingClient asg = clients.autoScaling();
        S3Client s3 = clients.s3();
        S3Client s3Plain = clients.s3Plain()) {
      assertThat(rds.describeDBInstances().dbInstances()).isEmpty();
      assertThat(asg.describeAutoScalingGroups().autoScalingGroups()).isEmpty();
      s3.createBucket(b -> b.bucket("signed"));
      s3.putObject(b -> b.bucket("signed").key("a b+c/ü.txt"), RequestBody.fromString("chunked"));
      s3Plain.putObject(b -> b.bucket("signed").key("plain"), RequestBody.fromString("plain"));
      assertThat(
              s3Plain
                  .getObjectAsBytes(b -> b.bucket("signed").key("a b+c/ü.txt"))
                  .asString(StandardCharsets.UTF_8))
          .isEqualTo("chunked");
      assertThat(s3.listObjectsV2(b -> b.bucket("signed").prefix("a b")).keyCount()).isEqualTo(1);
    }
  }

  @Test
  void apacheHttpClientSignaturesAreAcceptedToo() {
    SdkClients apache = SdkClients.of(aws).withoutRetries().overApache();
    try (RdsClient rds = apache.rds();
        AutoScalingClient asg = apache.autoScaling();
        S3Client s3 = apache.s3()) {
      assertThat(rds.describeDBInstances().dbInstances()).isEmpty();
      assertThatThrownBy(
              () ->
                  asg.setDesiredCapacity(
                      b -> b.autoScalingGroupName("orders-asg").desiredCapacity(4)))
          .hasMessageContaining("AutoScalingGroup name not found");
      s3.createBucket(b -> b.bucket("apache"));
      s3.putObject(b -> b.bucket("apache").key("k"), RequestBody.fromString("v"));
      assertThat(s3.getObjectAsBytes(b -> b.bucket("apache").key("k")).asUtf8String())
          .isEqualTo("v");
    }
  }

  @Test
  void wrongSecretIsRejectedWithSignatureDoesNotMatch() {
    SdkClients wrong = SdkClients.of(aws).withoutRetries().withSecret("not-the-secret");
    try (RdsClient rds = wrong.rds();
        S3Client s3 = wrong.s3Plain()) {
      assertThatThrownBy(rds::describeDBInstances)
          .isInstanceOfSatisfying(
              RdsException.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
              });
      assertThatThrownBy(() -> s3.listBuckets())
          .isInstanceOfSatisfying(
              S3Exception.class,
              e -> {
                assertThat(e.statusCode()).isEqualTo(403);
                assertThat(e.awsErrorDetails().errorCode()).isEqualTo("SignatureDoesNotMatch");
                assertThat(e.getMessage()).doesNotContain("not-the-secret");
              });
    }
  }
}
