package dev.reviewapps.controller.reviewapp;

import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Processes;
import dev.reviewapps.model.spec.Redis;
import dev.reviewapps.model.spec.Release;
import dev.reviewapps.model.spec.ReviewAppSpec;
import java.util.Map;
import java.util.Optional;

/** Specs for tests, in the shape of the design's example. */
public final class SampleSpecs {
  private SampleSpecs() {}

  /** The design's example app: shared database, Redis, migrate and seed, web and worker. */
  public static ReviewAppSpec checkout(String commit) {
    return new ReviewAppSpec(
        "deploy-new-checkout",
        commit,
        "registry.example.com/shop/web:" + commit,
        new Database.Shared(Optional.empty()),
        Optional.of(new Redis("redis:7")),
        new Release(
            Optional.of("bundle exec rake db:migrate"),
            Optional.of("bundle exec rake db:seed"),
            Optional.empty()),
        new Processes(
            new ProcessSpec("bundle exec unicorn -p $PORT", 2, 500, 1024, Optional.of("/health")),
            Optional.of(
                new ProcessSpec("bundle exec rake resque:work", 1, 250, 512, Optional.empty()))),
        Map.of("RAILS_ENV", "staging", "DATABASE_URL", "postgres://spec-tries-to-override"),
        Optional.empty(),
        Optional.empty());
  }
}
