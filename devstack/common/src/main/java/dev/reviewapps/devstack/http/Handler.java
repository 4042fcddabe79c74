package dev.reviewapps.devstack.http;

import java.util.concurrent.CompletableFuture;

/**
 * Answers one route. A handler that has to wait (a blocking query) returns a future that is
 * completed later, so no thread is held while it waits.
 */
@FunctionalInterface
public interface Handler {
  CompletableFuture<Reply> handle(Exchange exchange) throws Exception;

  /** Adapts a handler that answers at once. */
  static Handler sync(SyncHandler handler) {
    return exchange -> CompletableFuture.completedFuture(handler.handle(exchange));
  }

  /** A handler whose answer is ready when it returns. */
  @FunctionalInterface
  interface SyncHandler {
    Reply handle(Exchange exchange) throws Exception;
  }
}
