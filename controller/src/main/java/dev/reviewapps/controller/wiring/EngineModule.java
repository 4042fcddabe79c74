package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Provides;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.reviewapps.controller.consul.KeyLayout;
import dev.reviewapps.controller.consul.KeyValueStore;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.engine.LoggingReconciler;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.controller.status.FailedStatus;
import dev.reviewapps.controller.status.StatusWriter;

/**
 * The engine's collaborators. The {@link Reconciler} is an optional binding whose default is the
 * {@link LoggingReconciler}; the ReviewApp module replaces it with
 *
 * <pre>{@code
 * OptionalBinder.newOptionalBinder(binder(), Reconciler.class)
 *     .setBinding().to(ReviewAppReconciler.class);
 * }</pre>
 */
public final class EngineModule extends AbstractModule {

  @Override
  protected void configure() {
    OptionalBinder.newOptionalBinder(binder(), Reconciler.class)
        .setDefault()
        .to(LoggingReconciler.class);
    bind(LoggingReconciler.class).in(Singleton.class);
    // Leader-only periodic tasks: none by default; the ReviewApp module adds garbage collection.
    Multibinder.newSetBinder(binder(), LeaderTask.class);
    Multibinder.newSetBinder(binder(), ProcessService.class);
  }

  @Provides
  @Singleton
  StatusWriter statusWriter(KeyValueStore store, KeyLayout layout) {
    return new StatusWriter(store, layout);
  }

  @Provides
  @Singleton
  TerminalErrors terminalErrors(KeyValueStore store, KeyLayout layout, StatusWriter writer) {
    return new FailedStatus(store, layout, writer);
  }
}
