package dev.reviewapps.devstack.nomad;

import dev.reviewapps.devstack.cli.StandInCommand;
import dev.reviewapps.devstack.cli.TlsFlags;
import dev.reviewapps.devstack.nomad.exec.ImageCommand;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * {@code devstack.jar nomad [--port 4646] [--host 127.0.0.1] [--cpu MHz] [--memory MB] [--ports
 * LO-HI] [--data-dir DIR] [--datacenter dc1] [--map-image IMAGE=COMMAND]... [--tls-cert F --tls-key
 * F [--tls-client-ca F]]}: runs the stand-in until the process is stopped; stopping it stops every
 * task.
 */
public final class NomadCommand implements StandInCommand {
  static final String USAGE =
      "usage: nomad [--port 4646] [--host 127.0.0.1] [--cpu MHz] [--memory MB] [--ports LO-HI]\n"
          + "             [--data-dir DIR] [--datacenter dc1] [--map-image IMAGE=COMMAND]...\n"
          + "             "
          + TlsFlags.USAGE;

  @Override
  public String name() {
    return "nomad";
  }

  @Override
  public String summary() {
    return "Nomad HTTP API on one local node that really runs raw_exec tasks";
  }

  @Override
  public int run(List<String> args) throws Exception {
    NomadConfig config;
    try {
      config = parse(args);
    } catch (IllegalArgumentException e) {
      System.err.println(e.getMessage());
      System.err.println(USAGE);
      return 2;
    }
    if (config == null) {
      System.out.println(USAGE);
      return 0;
    }
    NomadStandIn nomad = NomadStandIn.start(config);
    System.out.println("nomad stand-in listening on " + nomad.baseUrl());
    // The stand-in's shutdown hook stops the tasks when the process is asked to stop.
    new CountDownLatch(1).await();
    return 0;
  }

  /** Parses the options; returns null for {@code --help}. */
  static NomadConfig parse(List<String> args) {
    NomadConfig.Builder config = NomadConfig.defaults().toBuilder().port(4646);
    List<ImageCommand> images = new ArrayList<>();
    TlsFlags tls = new TlsFlags();
    for (Iterator<String> it = args.iterator(); it.hasNext(); ) {
      String option = it.next();
      String value = null;
      int eq = option.indexOf('=');
      if (option.startsWith("--") && eq > 0 && !option.startsWith("--map-image=")) {
        value = option.substring(eq + 1);
        option = option.substring(0, eq);
      } else if (option.startsWith("--map-image=")) {
        value = option.substring("--map-image=".length());
        option = "--map-image";
      }
      if (option.equals("--help") || option.equals("-h")) {
        return null;
      }
      if (value == null) {
        if (!it.hasNext()) {
          throw new IllegalArgumentException("missing value for " + option);
        }
        value = it.next();
      }
      if (tls.take(option, value)) {
        continue;
      }
      switch (option) {
        case "--port" -> config.port(number(option, value));
        case "--host" -> config.host(value);
        case "--cpu" -> config.cpuMhz(number(option, value));
        case "--memory" -> config.memoryMb(number(option, value));
        case "--ports" -> {
          String[] range = value.split("-", 2);
          if (range.length != 2) {
            throw new IllegalArgumentException("--ports wants LO-HI, got " + value);
          }
          config.dynamicPorts(number(option, range[0]), number(option, range[1]));
        }
        case "--data-dir" -> config.dataDir(Path.of(value));
        case "--datacenter" -> config.datacenter(value);
        case "--map-image" -> images.add(ImageCommand.parse(value));
        default -> throw new IllegalArgumentException("unknown option " + option);
      }
    }
    return config.images(images).tls(tls.tls()).build();
  }

  private static int number(String option, String value) {
    try {
      return Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(option + " wants a number, got " + value);
    }
  }

  /** Runs the stand-in without the launcher (used by tests that need a separate process). */
  public static void main(String[] args) throws Exception {
    System.exit(new NomadCommand().run(List.of(args)));
  }
}
