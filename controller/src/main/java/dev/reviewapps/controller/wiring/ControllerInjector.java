package dev.reviewapps.controller.wiring;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import dev.reviewapps.controller.config.ControllerConfig;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The injector of a controller process: the modules of this package, then every Guice module
 * registered in {@code META-INF/services/com.google.inject.Module} on the class path (the ReviewApp
 * module registers itself there), then {@code extra} (tests).
 */
public final class ControllerInjector {
  private ControllerInjector() {}

  public static Injector create(ControllerConfig config, Module... extra) {
    List<Module> modules = new ArrayList<>();
    modules.add(new ConfigModule(config));
    modules.add(new MetricsModule());
    modules.add(new ResilienceModule());
    modules.add(new ConsulModule());
    modules.add(new EngineModule());
    ServiceLoader.load(Module.class).forEach(modules::add);
    modules.addAll(List.of(extra));
    return Guice.createInjector(modules);
  }
}
