package dev.reviewapps.controller.engine;

import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The reconciler the controller runs until a real one is bound: it only logs each name it is given
 * (the name is in the MDC as well) and counts them, and changes nothing anywhere. It lets the
 * engine (watch, queue, leader election, metrics) be deployed and observed on its own.
 */
public final class LoggingReconciler implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(LoggingReconciler.class);
  private final LongAdder reconciles = new LongAdder();

  @Override
  public Result reconcile(String name) {
    reconciles.increment();
    log.info("reconcile {}: no reconciler installed, recorded only", name);
    return Result.done();
  }

  /** How many reconciles it has recorded. */
  public long reconciles() {
    return reconciles.sum();
  }
}
