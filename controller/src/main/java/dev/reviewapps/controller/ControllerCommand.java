package dev.reviewapps.controller;

import com.google.inject.Injector;
import dev.reviewapps.controller.config.ConfigLoader;
import dev.reviewapps.controller.config.ControllerConfig;
import dev.reviewapps.controller.config.InvalidConfig;
import dev.reviewapps.controller.wiring.ControllerInjector;
import dev.reviewapps.controller.wiring.ControllerProcess;
import java.nio.file.Path;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code review-apps controller --config FILE}: loads and validates the configuration, wires the
 * process with Guice and runs it until SIGTERM/SIGINT, then stops gracefully. Guice modules listed
 * in {@code META-INF/services/com.google.inject.Module} on the class path are installed as well;
 * that is how the ReviewApp reconciler replaces the default logging one.
 */
@Command(
    name = "controller",
    mixinStandardHelpOptions = true,
    description = "Run the review-apps controller (leader election, watch, reconcile).")
final class ControllerCommand implements Callable<Integer> {

  @Option(
      names = "--config",
      paramLabel = "FILE",
      description = "JSON configuration file; environment variables override it.")
  Optional<Path> config = Optional.empty();

  @Override
  public Integer call() throws InterruptedException {
    ControllerConfig loaded;
    try {
      loaded = ConfigLoader.load(config, System.getenv());
    } catch (InvalidConfig e) {
      System.err.println(e.getMessage());
      return 2;
    }
    Logging.use(loaded.logFormat());
    ControllerProcess process = injector(loaded).getInstance(ControllerProcess.class);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  process.close();
                  stopped.countDown();
                },
                "shutdown"));
    process.start();
    stopped.await();
    return 0;
  }

  private static Injector injector(ControllerConfig config) {
    return ControllerInjector.create(config);
  }
}
