package dev.reviewapps.reviewctl;

import dev.reviewapps.devstack.aws.AwsStandIn;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/** The tests' own S3 client on the AWS stand-in, to look at what reviewctl uploaded. */
final class TestS3 {
  private TestS3() {}

  static S3Client client(AwsStandIn aws) {
    return S3Client.builder()
        .endpointOverride(aws.endpoint())
        .region(Region.US_EAST_1)
        .forcePathStyle(true)
        .credentialsProvider(
            StaticCredentialsProvider.create(AwsBasicCredentials.create("AKID", "secret")))
        .httpClientBuilder(UrlConnectionHttpClient.builder())
        .build();
  }
}
