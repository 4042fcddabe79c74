package dev.reviewapps.controller.engine;

import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stands between the watch/resync and the queue: a name the reconciler does not accept is never
 * queued, so no status, inventory or resource is ever made under it. Each such key is counted every
 * time it is seen and logged once (per process, for up to {@value #MAX_LOGGED} keys, so that a
 * flood of odd keys cannot flood the log).
 */
final class NameFilter implements Consumer<String> {
  private static final Logger log = LoggerFactory.getLogger(NameFilter.class);

  static final int MAX_LOGGED = 1000;

  private final Reconciler reconciler;
  private final ReconcileMetrics metrics;
  private final Consumer<String> next;
  private final Set<String> logged = ConcurrentHashMap.newKeySet();

  NameFilter(Reconciler reconciler, ReconcileMetrics metrics, Consumer<String> next) {
    this.reconciler = Objects.requireNonNull(reconciler, "reconciler");
    this.metrics = Objects.requireNonNull(metrics, "metrics");
    this.next = Objects.requireNonNull(next, "next");
  }

  @Override
  public void accept(String name) {
    if (reconciler.accepts(name)) {
      next.accept(name);
      return;
    }
    metrics.ignoredKey();
    if (logged.size() < MAX_LOGGED && logged.add(name)) {
      log.warn(
          "ignoring key {}: not a name this controller can own (only valid names are reconciled)",
          printable(name));
    }
  }

  /** The name with control characters escaped and cut, safe for one log line. */
  static String printable(String name) {
    StringBuilder out = new StringBuilder("\"");
    name.codePoints()
        .limit(100)
        .forEach(
            c -> {
              if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
              } else {
                out.appendCodePoint(c);
              }
            });
    return out.append(name.codePointCount(0, name.length()) > 100 ? "…\"" : "\"").toString();
  }
}
