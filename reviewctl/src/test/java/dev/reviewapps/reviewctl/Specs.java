package dev.reviewapps.reviewctl;

import dev.reviewapps.model.status.ConditionStatus;
import dev.reviewapps.model.status.ConditionType;
import dev.reviewapps.model.status.Phase;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.time.Instant;
import java.util.Optional;

/** Specs and statuses as the tests write them. */
final class Specs {
  private Specs() {}

  static String spec(String name, String commit) {
    return """
        {"apiVersion": "reviewapps/v1", "kind": "ReviewApp",
         "metadata": {"name": "%s"},
         "spec": {"branch": "%s", "commit": "%s",
                  "image": "registry.example.com/shop/web:%s",
                  "database": {"mode": "shared"},
                  "processes": {"web": {"command": "bin/web", "healthPath": "/health"}}}}
        """
        .formatted(name, name, commit, commit);
  }

  /** A Ready status for the spec at {@code index}, serving {@code url}. */
  static ReviewAppStatus ready(long index, String url, Instant since) {
    return ReviewAppStatus.pending(index)
        .withPhase(Phase.Ready)
        .withUrl(Optional.of(url))
        .withCondition(ConditionType.Valid, ConditionStatus.True, "Valid", "", since)
        .withCondition(ConditionType.WebReady, ConditionStatus.True, "Running", "", since);
  }
}
