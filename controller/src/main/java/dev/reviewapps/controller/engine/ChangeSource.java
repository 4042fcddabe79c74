package dev.reviewapps.controller.engine;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;

/**
 * Where changes come from that name objects to reconcile, read with blocking queries: a Consul KV
 * prefix ({@link KvPrefix}: the specs, and a domain's own such as the wake and sleep requests of
 * review apps), or any other source a domain binds into the Guice set (review apps: Nomad's
 * allocations, so that an allocation turning healthy queues its app at once instead of at its next
 * recheck). A {@link SpecWatch} runs each on a thread of its own for one leadership term.
 */
public interface ChangeSource {

  /**
   * A source switched off by configuration, for a provider that must bind one: the engine runs no
   * watch for it.
   */
  ChangeSource NONE =
      new ChangeSource() {
        @Override
        public String describe() {
          return "nothing";
        }

        @Override
        public Listing list(long index, Duration wait) {
          throw new UnsupportedOperationException("ChangeSource.NONE is never watched");
        }

        @Override
        public Optional<String> nameOf(String item) {
          return Optional.empty();
        }
      };

  /** What is watched, for the thread's name and the log: {@code review-apps/specs/}. */
  String describe();

  /**
   * One blocking query: answers once the source's index passes {@code index}, or after about {@code
   * wait} with nothing new. {@code index} 0 answers at once.
   *
   * @throws RuntimeException when the system cannot be reached; the watch backs off and asks again
   */
  Listing list(long index, Duration wait);

  /** The name of the object an item of the listing belongs to; empty for an item of none. */
  Optional<String> nameOf(String item);

  /**
   * One answer: the index to pass to the next query and a version of every item (a key's {@code
   * ModifyIndex}, an allocation's): an item whose version changed, appeared or went names its
   * object.
   */
  record Listing(long index, Map<String, Long> versions) {
    public Listing {
      versions = Map.copyOf(versions);
    }
  }
}
