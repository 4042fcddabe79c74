package dev.reviewapps.reviewctl;

import dev.reviewapps.consul.BlockingQuery;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvVersions;
import dev.reviewapps.model.json.ReviewAppJson;
import dev.reviewapps.model.status.ReviewAppStatus;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

/**
 * A test thread in the controller's place: when a spec appears or changes it writes a Ready status
 * for that spec's index with the URL {@code http://<name>.review.test}; when a spec goes it removes
 * status and inventory. Apps whose name contains {@code slow} it leaves alone, so that a wait on
 * them times out. It follows the specs with blocking queries, as the real watch does.
 */
final class PlayingController implements AutoCloseable {
  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final Thread thread;
  private volatile boolean running = true;

  PlayingController(KeyValueStore kv, KeyLayout layout) {
    this.kv = kv;
    this.layout = layout;
    this.thread = new Thread(this::loop, "playing-controller");
    thread.setDaemon(true);
    thread.start();
  }

  private void loop() {
    long index = 0;
    while (running) {
      KvVersions specs =
          kv.versions(
              layout.specs(),
              index == 0 ? BlockingQuery.NONE : new BlockingQuery(index, Duration.ofSeconds(1)));
      index = Math.max(1, specs.index());
      for (Map.Entry<String, Long> spec : specs.modifyIndexes().entrySet()) {
        String name = spec.getKey().substring(layout.specs().length());
        Optional<ReviewAppStatus> status =
            kv.get(layout.status(name))
                .flatMap(e -> ReviewAppJson.parseStatus(e.value()).toOptional());
        if (!name.contains("slow")
            && status.map(s -> s.observedIndex() < spec.getValue()).orElse(true)) {
          kv.put(
              layout.status(name),
              ReviewAppJson.writeStatus(
                  Specs.ready(spec.getValue(), "http://" + name + ".review.test", Instant.now())));
        }
      }
      for (String statusKey : kv.keys(layout.statuses())) {
        String name = statusKey.substring(layout.statuses().length());
        if (!specs.modifyIndexes().containsKey(layout.spec(name))) {
          kv.delete(layout.inventory(name));
          kv.delete(statusKey);
        }
      }
    }
  }

  @Override
  public void close() {
    running = false;
    try {
      thread.join(Duration.ofSeconds(10).toMillis());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
