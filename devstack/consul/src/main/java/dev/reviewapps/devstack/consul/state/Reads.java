package dev.reviewapps.devstack.consul.state;

import java.util.List;
import java.util.Optional;

/** Answers of the read queries, each with the index a blocking query compares against. */
public final class Reads {
  private Reads() {}

  /** One key, or its absence, at {@code index}. */
  public record Key(long index, Optional<KvEntry> entry) {}

  /** Every entry under a prefix, in key order. */
  public record Prefix(long index, List<KvEntry> entries) {
    public Prefix {
      entries = List.copyOf(entries);
    }
  }

  /** Key names under a prefix, cut after the separator when one was given. */
  public record Keys(long index, List<String> keys) {
    public Keys {
      keys = List.copyOf(keys);
    }
  }

  /** Sessions, in ID order. */
  public record Sessions(long index, List<Session> sessions) {
    public Sessions {
      sessions = List.copyOf(sessions);
    }
  }
}
