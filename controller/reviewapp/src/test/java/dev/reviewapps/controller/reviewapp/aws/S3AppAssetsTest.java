package dev.reviewapps.controller.reviewapp.aws;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.devstack.aws.AwsConfig;
import dev.reviewapps.devstack.aws.AwsStandIn;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The app's assets prefix on the devstack S3. */
class S3AppAssetsTest {

  @Test
  void deletingAnAppsAssetsLeavesOtherAppsAlone() throws Exception {
    try (AwsStandIn aws = AwsStandIn.start(AwsConfig.forTests());
        S3Client s3 =
            S3Client.builder()
                .endpointOverride(aws.endpoint())
                .region(Region.US_EAST_1)
                .credentialsProvider(
                    StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
                .forcePathStyle(true)
                // Plain HTTP to the stand-in: request bodies sent whole, not aws-chunked.
                .serviceConfiguration(c -> c.chunkedEncodingEnabled(false))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .httpClientBuilder(ApacheHttpClient.builder())
                .build()) {
      s3.createBucket(r -> r.bucket("shop-assets"));
      for (int i = 0; i < 1205; i++) {
        String key = "assets/deploy-x/js/" + i + ".js";
        s3.putObject(r -> r.bucket("shop-assets").key(key), RequestBody.fromString("x"));
      }
      s3.putObject(
          r -> r.bucket("shop-assets").key("assets/deploy-x2/app.css"),
          RequestBody.fromString("y"));
      S3AppAssets assets = new S3AppAssets(s3, "shop-assets", "assets/");

      assertThat(assets.count("deploy-x")).isEqualTo(1205);
      assertThat(assets.deleteAll("deploy-x")).isEqualTo(1205);
      assertThat(assets.count("deploy-x")).isZero();
      assertThat(assets.count("deploy-x2")).isEqualTo(1);
      assertThat(assets.deleteAll("deploy-x")).isZero();
    }
  }
}
