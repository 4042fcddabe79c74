package dev.reviewapps.controller.reviewapp.status;

import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import dev.reviewapps.controller.engine.TerminalError;
import dev.reviewapps.controller.engine.TerminalErrors;
import dev.reviewapps.model.status.Phase;
import java.util.Objects;
import java.util.Optional;

/**
 * Records a {@link TerminalError} as phase {@code Failed} with the error as {@code lastError}, at
 * the spec index that failed, so that users see why nothing happens and which version of their spec
 * it was about.
 */
public final class FailedStatus implements TerminalErrors {
  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final StatusWriter writer;

  public FailedStatus(KeyValueStore kv, KeyLayout layout, StatusWriter writer) {
    this.kv = Objects.requireNonNull(kv, "kv");
    this.layout = Objects.requireNonNull(layout, "layout");
    this.writer = Objects.requireNonNull(writer, "writer");
  }

  @Override
  public void record(String name, TerminalError error) {
    Optional<Long> specIndex = kv.get(layout.spec(name)).map(KvEntry::modifyIndex);
    writer.update(
        name,
        s ->
            s.withPhase(Phase.Failed)
                .withLastError(Optional.ofNullable(error.getMessage()))
                .withObservedIndex(specIndex.orElse(s.observedIndex())));
  }
}
