package dev.reviewapps.controller.wiring;

import com.google.inject.AbstractModule;
import com.google.inject.Singleton;
import com.google.inject.multibindings.Multibinder;
import com.google.inject.multibindings.OptionalBinder;
import dev.reviewapps.controller.engine.ChangeSource;
import dev.reviewapps.controller.engine.LeaderTask;
import dev.reviewapps.controller.engine.LoggingReconciler;
import dev.reviewapps.controller.engine.Reconciler;
import dev.reviewapps.controller.engine.TerminalErrors;

/**
 * The engine's collaborators, each with a default a domain module replaces or adds to: the {@link
 * Reconciler} (default: the {@link LoggingReconciler}), where {@link TerminalErrors} are recorded
 * (default: nowhere but the engine's own log and metrics), the prefixes watched besides {@code
 * specs/}, other {@link ChangeSource}s, the leader tasks and the process services (default: none).
 * The ReviewApp module, for example, binds
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
    OptionalBinder.newOptionalBinder(binder(), TerminalErrors.class)
        .setDefault()
        .toInstance(TerminalErrors.ignore());
    Multibinder.newSetBinder(binder(), ChangeSource.class);
    Multibinder.newSetBinder(binder(), LeaderTask.class);
    Multibinder.newSetBinder(binder(), ProcessService.class);
    Multibinder.newSetBinder(binder(), OutsideSystemName.class);
  }
}
