package dev.reviewapps.controller.reviewapp.kinds;

import com.google.inject.Inject;
import dev.reviewapps.controller.reviewapp.Dismantling;
import dev.reviewapps.controller.reviewapp.OrphanSource;
import dev.reviewapps.controller.reviewapp.ResourceKind;
import dev.reviewapps.controller.reviewapp.ReviewAppProviders;
import dev.reviewapps.controller.reviewapp.aws.AppAssets;
import dev.reviewapps.model.status.ConditionType;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The app's static assets in S3, under {@code <prefix><name>/}. CI uploads them, so there is
 * nothing to ensure and no condition; they are the app's by their prefix (the objects carry no mark
 * of ours). Deleted: every object under the app's prefix. Orphans: folders under the prefix named
 * for an app. Without a configured bucket there is nothing of either.
 */
public final class AssetsKind implements ResourceKind {

  private static final Logger LOG = LoggerFactory.getLogger(AssetsKind.class);

  private final AppAssets assets;

  @Inject
  AssetsKind(ReviewAppProviders providers) {
    this.assets = providers.assets();
  }

  @Override
  public String name() {
    return "assets";
  }

  @Override
  public Optional<ConditionType> condition() {
    return Optional.empty();
  }

  @Override
  public Optional<Duration> delete(Dismantling run) {
    run.deleting("deleting the S3 assets");
    int deleted = assets.deleteAll(run.app());
    LOG.info("teardown of {}: {} S3 asset objects deleted", run.app(), deleted);
    return Optional.empty();
  }

  @Override
  public List<OrphanSource> orphans() {
    return List.of(
        new OrphanSource(
            "assets",
            () -> {
              Map<String, String> byApp = new TreeMap<>();
              assets.apps().forEach(a -> byApp.put(a, a));
              return byApp;
            },
            (id, app) -> true,
            o -> assets.deleteAll(o.app())));
  }
}
