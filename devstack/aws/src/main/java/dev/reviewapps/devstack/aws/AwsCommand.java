package dev.reviewapps.devstack.aws;

import dev.reviewapps.devstack.aws.autoscaling.AutoScalingTiming;
import dev.reviewapps.devstack.aws.rds.RdsTiming;
import dev.reviewapps.devstack.cli.StandInCommand;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code java -jar devstack.jar aws [--port 4566] [--postgres jdbc-url] …}. */
public final class AwsCommand implements StandInCommand {

  @Override
  public String name() {
    return "aws";
  }

  @Override
  public String summary() {
    return "RDS, Auto Scaling and S3 for the AWS SDK (one endpoint, path-style S3)";
  }

  @Override
  public int run(List<String> args) {
    return new CommandLine(new Options()).execute(args.toArray(String[]::new));
  }

  /** The command line, parsed by picocli. */
  @Command(
      name = "aws",
      mixinStandardHelpOptions = true,
      description = "Serves RDS (2014-10-31), Auto Scaling (2011-01-01) and S3 on one endpoint.")
  static final class Options implements Callable<Integer> {
    @Option(names = "--host", description = "address to bind (default ${DEFAULT-VALUE})")
    String host = "127.0.0.1";

    @Option(names = "--port", description = "port, 0 for a free one (default ${DEFAULT-VALUE})")
    int port = 4566;

    @Option(names = "--region", description = "region in ARNs (default ${DEFAULT-VALUE})")
    String region = "us-east-1";

    @Option(
        names = "--postgres",
        paramLabel = "jdbc-url",
        description =
            "administrator JDBC URL of a PostgreSQL server; each RDS instance becomes a real"
                + " database and role on it")
    String postgres;

    @Option(
        names = "--credentials",
        paramLabel = "ACCESS_KEY:SECRET",
        description = "strict SigV4: accept only these credentials (repeatable)")
    List<String> credentials = List.of();

    @Option(
        names = "--timing",
        description = "demo (seconds, default) or fast (tens of milliseconds)")
    String timing = "demo";

    @Option(names = "--fault-seed", description = "seed of the fault-share draws")
    long faultSeed = 1;

    /** The configuration these options describe. */
    AwsConfig config() {
      AwsConfig config =
          AwsConfig.forTests()
              .withHost(host)
              .withPort(port)
              .withRegion(region)
              .withFaultSeed(faultSeed);
      config =
          switch (timing) {
            case "demo" ->
                config
                    .withRdsTiming(RdsTiming.demo())
                    .withAutoScalingTiming(AutoScalingTiming.demo());
            case "fast" -> config;
            default ->
                throw new CommandLine.ParameterException(
                    new CommandLine(this), "--timing is demo or fast");
          };
      if (postgres != null) {
        config = config.withPostgres(postgres);
      }
      Map<String, String> secrets = new LinkedHashMap<>();
      for (String pair : credentials) {
        int colon = pair.indexOf(':');
        if (colon <= 0) {
          throw new CommandLine.ParameterException(
              new CommandLine(this), "--credentials takes ACCESS_KEY:SECRET");
        }
        secrets.put(pair.substring(0, colon), pair.substring(colon + 1));
      }
      return config.withCredentials(secrets);
    }

    @Override
    public Integer call() throws Exception {
      AwsConfig config = config();
      CountDownLatch stopped = new CountDownLatch(1);
      AwsStandIn aws = AwsStandIn.start(config);
      Runtime.getRuntime()
          .addShutdownHook(
              new Thread(
                  () -> {
                    aws.close();
                    stopped.countDown();
                  },
                  "devstack-aws-shutdown"));
      System.out.println("aws stand-in listening on " + aws.endpoint());
      stopped.await();
      return 0;
    }
  }
}
