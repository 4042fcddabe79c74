package dev.reviewapps.devstack.consul;

import dev.reviewapps.devstack.cli.StandInCommand;
import dev.reviewapps.devstack.cli.TlsFlags;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code devstack.jar consul --port 8500 [--bind 127.0.0.1] [--acl-file F] [--data-dir D]
 * [--session-ttl-min 10s] [--tls-cert F --tls-key F [--tls-client-ca F]]}.
 */
public final class ConsulCommand implements StandInCommand {
  private static final String USAGE =
      "usage: consul [--port 8500] [--bind 127.0.0.1] [--acl-file FILE] [--data-dir DIR]"
          + " [--session-ttl-min SECONDS] "
          + TlsFlags.USAGE;

  @Override
  public String name() {
    return "consul";
  }

  @Override
  public String summary() {
    return "Consul KV, blocking queries, sessions, txn and ACL stand-in (--port 8500)";
  }

  @Override
  public int run(List<String> args) throws Exception {
    ConsulConfig config = ConsulConfig.defaults().withPort(8500);
    TlsFlags tls = new TlsFlags();
    for (int i = 0; i < args.size(); i++) {
      String option = args.get(i);
      if (option.equals("--help") || option.equals("-h")) {
        System.out.println(USAGE);
        return 0;
      }
      if (i + 1 >= args.size()) {
        System.err.println("missing value for " + option + "\n" + USAGE);
        return 2;
      }
      String value = args.get(++i);
      if (tls.take(option, value)) {
        continue;
      }
      switch (option) {
        case "--port" -> config = config.withPort(Integer.parseInt(value));
        case "--bind" -> config = config.withBind(value);
        case "--acl-file" -> config = config.withAclFile(Path.of(value));
        case "--data-dir" -> config = config.withDataDir(Path.of(value));
        case "--session-ttl-min" ->
            config = config.withSessionTtlMin(Duration.ofSeconds(Long.parseLong(value)));
        default -> {
          System.err.println("unknown option " + option + "\n" + USAGE);
          return 2;
        }
      }
    }
    try {
      config = config.withTls(tls.tls());
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage() + "\n" + USAGE);
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    ConsulStandIn consul = ConsulStandIn.start(config);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  consul.close();
                  stopped.countDown();
                },
                "devstack-consul-shutdown"));
    System.out.println("consul stand-in listening on " + consul.baseUrl());
    stopped.await();
    return 0;
  }
}
