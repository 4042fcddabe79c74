package dev.reviewapps.devstack.aws;

import java.net.URI;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.client.builder.AwsClientBuilder;
import software.amazon.awssdk.awscore.client.builder.AwsSyncClientBuilder;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.autoscaling.AutoScalingClient;
import software.amazon.awssdk.services.rds.RdsClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The AWS SDK v2 clients built as the controller builds them: endpoint override, static
 * credentials, region us-east-1, path-style S3.
 */
final class SdkClients {
  static final String ACCESS_KEY = "AKIDEXAMPLE";
  static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

  private final URI endpoint;
  private final String accessKey;
  private final String secret;
  private final boolean retries;
  private final boolean apache;

  private SdkClients(
      URI endpoint, String accessKey, String secret, boolean retries, boolean apache) {
    this.endpoint = endpoint;
    this.accessKey = accessKey;
    this.secret = secret;
    this.retries = retries;
    this.apache = apache;
  }

  /** Clients with the example credentials and the SDK's default retries. */
  static SdkClients of(AwsStandIn aws) {
    return new SdkClients(aws.endpoint(), ACCESS_KEY, SECRET, true, false);
  }

  SdkClients withSecret(String otherSecret) {
    return new SdkClients(endpoint, accessKey, otherSecret, retries, apache);
  }

  SdkClients withoutRetries() {
    return new SdkClients(endpoint, accessKey, secret, false, apache);
  }

  /** The same clients over the Apache HTTP client instead of HttpURLConnection. */
  SdkClients overApache() {
    return new SdkClients(endpoint, accessKey, secret, retries, true);
  }

  RdsClient rds() {
    return configured(RdsClient.builder()).build();
  }

  AutoScalingClient autoScaling() {
    return configured(AutoScalingClient.builder()).build();
  }

  /** S3 with the SDK's defaults over plain HTTP: aws-chunked bodies with trailing checksums. */
  S3Client s3() {
    return configured(S3Client.builder()).forcePathStyle(true).build();
  }

  /** S3 as the design recommends for plain HTTP: no chunked encoding, checksums when required. */
  S3Client s3Plain() {
    return configured(S3Client.builder())
        .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
        .serviceConfiguration(
            S3Configuration.builder()
                .pathStyleAccessEnabled(true)
                .chunkedEncodingEnabled(false)
                .build())
        .build();
  }

  private <B extends AwsClientBuilder<B, C> & AwsSyncClientBuilder<B, C>, C> B configured(
      B builder) {
    return builder
        .endpointOverride(endpoint)
        .region(Region.US_EAST_1)
        .credentialsProvider(credentials())
        .httpClient(apache ? ApacheHttpClient.create() : UrlConnectionHttpClient.create())
        .overrideConfiguration(override());
  }

  private StaticCredentialsProvider credentials() {
    return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secret));
  }

  private ClientOverrideConfiguration override() {
    return ClientOverrideConfiguration.builder()
        .retryStrategy(
            retries ? AwsRetryStrategy.standardRetryStrategy() : AwsRetryStrategy.doNotRetry())
        .build();
  }
}
