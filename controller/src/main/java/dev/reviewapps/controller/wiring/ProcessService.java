package dev.reviewapps.controller.wiring;

import java.io.IOException;

/**
 * Something that runs for the whole life of the process, leader or follower, such as the
 * dashboard's listener: started with the health endpoints, closed after the engine stopped. Bind
 * one with {@code Multibinder.newSetBinder(binder(), ProcessService.class).addBinding()}.
 */
public interface ProcessService extends AutoCloseable {

  /** Starts serving; a failure stops the process from starting (a port in use, say). */
  void start() throws IOException;

  @Override
  void close();
}
