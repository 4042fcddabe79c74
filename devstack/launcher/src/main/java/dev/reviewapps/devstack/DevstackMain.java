package dev.reviewapps.devstack;

import dev.reviewapps.devstack.cli.StandInCommand;
import java.util.Arrays;
import java.util.Map;
import java.util.ServiceLoader;
import java.util.TreeMap;

/**
 * Entry point of {@code devstack.jar}: {@code java -jar devstack.jar <stand-in> [options]}. The
 * stand-ins are found through {@link ServiceLoader}.
 */
public final class DevstackMain {
  private DevstackMain() {}

  public static void main(String[] args) throws Exception {
    Map<String, StandInCommand> commands = new TreeMap<>();
    ServiceLoader.load(StandInCommand.class).forEach(c -> commands.put(c.name(), c));
    if (args.length == 0 || !commands.containsKey(args[0])) {
      StringBuilder usage =
          new StringBuilder(
              "usage: java -jar devstack.jar <stand-in> [options]\n"
                  + "Test and demo stand-ins for Consul, Nomad and AWS; not replacements.\n\n");
      commands.forEach((name, c) -> usage.append(String.format("  %-8s %s%n", name, c.summary())));
      System.err.print(usage);
      System.exit(args.length == 0 || args[0].equals("--help") ? 0 : 2);
    }
    int code = commands.get(args[0]).run(Arrays.asList(args).subList(1, args.length));
    System.exit(code);
  }
}
