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
    Copy c = new Copy(this);
    c.host = value;
    return c.build();
  }

  public AwsConfig withPort(int value) {
    Copy c = new Copy(this);
    c.port = value;
    return c.build();
  }

  public AwsConfig withRegion(String value) {
    Copy c = new Copy(this);
    c.region = value;
    return c.build();
  }

  public AwsConfig withRdsTiming(RdsTiming value) {
    Copy c = new Copy(this);
    c.rdsTiming = value;
    return c.build();
  }

  public AwsConfig withAutoScalingTiming(AutoScalingTiming value) {
    Copy c = new Copy(this);
    c.autoScalingTiming = value;
    return c.build();
  }

  /** Backs every RDS instance by a real database on this PostgreSQL server. */
  public AwsConfig withPostgres(String adminJdbcUrl) {
    Copy c = new Copy(this);
    c.postgresUrl = Optional.of(adminJdbcUrl);
    return c.build();
  }

  /** Strict SigV4: only these credentials are accepted. */
  public AwsConfig withCredentials(Map<String, String> secretsByAccessKey) {
    Copy c = new Copy(this);
    c.credentials = secretsByAccessKey;
    return c.build();
  }

  public AwsConfig withFaultSeed(long value) {
    Copy c = new Copy(this);
    c.faultSeed = value;
    return c.build();
  }

  /** A changeable copy, so that each {@code with…} method names only the field it changes. */
  private static final class Copy {
    String host;
    int port;
    String region;
    String accountId;
    RdsTiming rdsTiming;
    AutoScalingTiming autoScalingTiming;
    Optional<String> postgresUrl;
    Map<String, String> credentials;
    long faultSeed;

    Copy(AwsConfig c) {
      host = c.host;
      port = c.port;
      region = c.region;
      accountId = c.accountId;
      rdsTiming = c.rdsTiming;
      autoScalingTiming = c.autoScalingTiming;
      postgresUrl = c.postgresUrl;
      credentials = c.credentials;
      faultSeed = c.faultSeed;
    }

    AwsConfig build() {
      return new AwsConfig(
          host,
          port,
          region,
          accountId,
          rdsTiming,
          autoScalingTiming,
          postgresUrl,
          credentials,
          faultSeed);
    }
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
