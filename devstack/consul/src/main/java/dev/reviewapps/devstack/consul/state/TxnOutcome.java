package dev.reviewapps.devstack.consul.state;

import java.util.List;

/** The outcome of applying a list of KV operations atomically. */
public sealed interface TxnOutcome {
  /**
   * Every operation succeeded and the changes are visible.
   *
   * @param results one entry per operation that reports one, in order (get-tree reports many)
   */
  record Committed(List<KvEntry> results) implements TxnOutcome {
    public Committed {
      results = List.copyOf(results);
    }
  }

  /** At least one operation failed; nothing was changed. */
  record RolledBack(List<OpFailure> failures) implements TxnOutcome {
    public RolledBack {
      failures = List.copyOf(failures);
    }
  }
}
