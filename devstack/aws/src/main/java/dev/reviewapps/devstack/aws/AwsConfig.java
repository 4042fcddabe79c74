package dev.reviewapps.devstack.aws;

import dev.reviewapps.devstack.aws.autoscaling.AutoScalingTiming;
import dev.reviewapps.devstack.aws.rds.RdsTiming;
import java.util.Map;
import java.util.Optional;

/**
 * How an {@link AwsStandIn} runs. Start from {@link #forTests()} or {@link #forDemo(int)} and
 * change what you need with the {@code with…} methods.
 *
 * @param host the address to bind
 * @param port the port, 0 for a free one
 * @param region the region in ARNs and endpoints
 * @param accountId the account in ARNs
 * @param rdsTiming how long RDS transitions take
 * @param autoScalingTiming how long instances take to join and leave groups
 * @param postgresUrl an administrator's JDBC URL of a PostgreSQL server on which each RDS instance
 *     becomes a real database; empty for records only
 * @param credentials secret access keys by access key ID; when not empty, SigV4 signatures are
 *     checked strictly against them, otherwise any signature (or none) is accepted
 * @param faultSeed seeds the random draws of fault shares, so runs repeat
 */
public record AwsConfig(
    String host,
    int port,
    String region,
    String accountId,
    RdsTiming rdsTiming,
    AutoScalingTiming autoScalingTiming,
    Optional<String> postgresUrl,
    Map<String, String> credentials,
    long faultSeed) {

  public AwsConfig {
    credentials = Map.copyOf(credentials);
  }

  /** Loopback, a free port, us-east-1, timings of tens of milliseconds, no real databases. */
  public static AwsConfig forTests() {
    return new AwsConfig(
        "127.0.0.1",
        0,
        "us-east-1",
        "000000000000",
        RdsTiming.fast(),
        AutoScalingTiming.fast(),
        Optional.empty(),
        Map.of(),
        1L);
  }

  /** Loopback on the given port with timings of seconds, slow enough to watch. */
  public static AwsConfig forDemo(int port) {
    return forTests()
        .withPort(port)
        .withRdsTiming(RdsTiming.demo())
        .withAutoScalingTiming(AutoScalingTiming.demo());
  }

  public AwsConfig withHost(String value) {
    return new AwsConfig(
        value,
        port,
        region,
        accountId,
        rdsTiming,
        autoScalingTiming,
        postgresUrl,
        credentials,
        faultSeed);
  }

  public AwsConfig withPort(int value) {
    return new AwsConfig(
        host,
        value,
        region,
        accountId,
        rdsTiming,
        autoScalingTiming,
        postgresUrl,
        credentials,
        faultSeed);
  }

  public AwsConfig withRegion(String value) {
    return new AwsConfig(
        host,
        port,
        value,
        accountId,
        rdsTiming,
        autoScalingTiming,
        postgresUrl,
        credentials,
        faultSeed);
  }

  public AwsConfig withRdsTiming(RdsTiming value) {
    return new AwsConfig(
        host,
        port,
        region,
        accountId,
        value,
        autoScalingTiming,
        postgresUrl,
        credentials,
        faultSeed);
  }

  public AwsConfig withAutoScalingTiming(AutoScalingTiming value) {
    return new AwsConfig(
        host, port, region, accountId, rdsTiming, value, postgresUrl, credentials, faultSeed);
  }

  /** Backs every RDS instance by a real database on this PostgreSQL server. */
  public AwsConfig withPostgres(String adminJdbcUrl) {
    return new AwsConfig(
        host,
        port,
        region,
        accountId,
        rdsTiming,
        autoScalingTiming,
        Optional.of(adminJdbcUrl),
        credentials,
        faultSeed);
  }

  /** Strict SigV4: only these credentials are accepted. */
  public AwsConfig withCredentials(Map<String, String> secretsByAccessKey) {
    return new AwsConfig(
        host,
        port,
        region,
        accountId,
        rdsTiming,
        autoScalingTiming,
        postgresUrl,
        secretsByAccessKey,
        faultSeed);
  }

  public AwsConfig withFaultSeed(long value) {
    return new AwsConfig(
        host,
        port,
        region,
        accountId,
        rdsTiming,
        autoScalingTiming,
        postgresUrl,
        credentials,
        value);
  }

  /** The credentials never reach logs or exception messages through {@code toString}. */
  @Override
  public String toString() {
    return "AwsConfig[host="
        + host
        + ", port="
        + port
        + ", region="
        + region
        + ", postgres="
        + (postgresUrl.isPresent() ? "configured" : "none")
        + ", strictSigV4="
        + !credentials.isEmpty()
        + "]";
  }
}
