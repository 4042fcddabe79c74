package dev.reviewapps.devstack.consul.state;

import java.io.IOException;

/**
 * Where commits go before they are acknowledged (the data directory's journal). Called with the
 * state locked, in index order.
 */
@FunctionalInterface
public interface CommitLog {
  /** Records a commit durably enough to replay it after a restart. */
  void append(Commit commit) throws IOException;

  /** A log that keeps nothing, for a stand-in without a data directory. */
  static CommitLog none() {
    return commit -> {};
  }
}
