package dev.reviewapps.model;

import dev.reviewapps.model.spec.Database;
import dev.reviewapps.model.spec.ProcessSpec;
import dev.reviewapps.model.spec.Processes;
import dev.reviewapps.model.spec.Redis;
import dev.reviewapps.model.spec.Release;
import dev.reviewapps.model.spec.ReviewAppSpec;
import dev.reviewapps.model.spec.SleepAfter;
import dev.reviewapps.model.spec.Ttl;
import java.util.Map;
import java.util.Optional;

/** Builds specs for tests: a valid one to start from, changed one field at a time. */
public final class SpecBuilder {
  private String branch = "deploy-x";
  private String commit = "3f2a9c1e";
  private String image = "shop/web:1";
  private Database database = new Database.Shared(Optional.of("shop_seed"));
  private Optional<Redis> redis = Optional.of(new Redis("redis:7"));
  private Release release =
      new Release(Optional.of("rake db:migrate"), Optional.empty(), Optional.empty());
  private ProcessSpec web =
      new ProcessSpec("bundle exec unicorn -p $PORT", 1, 500, 1024, Optional.of("/health"));
  private Optional<ProcessSpec> worker = Optional.of(ProcessSpec.of("rake resque:work"));
  private Map<String, String> env = Map.of();
  private Optional<Ttl> ttl = Ttl.parse("72h");
  private Optional<SleepAfter> sleepAfter = Optional.empty();

  /** A builder whose {@link #build()} gives a spec valid in every rule. */
  public static SpecBuilder valid() {
    return new SpecBuilder();
  }

  /** A builder starting from {@code spec}. */
  public static SpecBuilder from(ReviewAppSpec spec) {
    SpecBuilder b = new SpecBuilder();
    b.branch = spec.branch();
    b.commit = spec.commit();
    b.image = spec.image();
    b.database = spec.database();
    b.redis = spec.redis();
    b.release = spec.release();
    b.web = spec.processes().web();
    b.worker = spec.processes().worker();
    b.env = spec.env();
    b.ttl = spec.ttl();
    b.sleepAfter = spec.sleepAfter();
    return b;
  }

  public SpecBuilder branch(String branch) {
    this.branch = branch;
    return this;
  }

  public SpecBuilder image(String image) {
    this.image = image;
    return this;
  }

  public SpecBuilder database(Database database) {
    this.database = database;
    return this;
  }

  public SpecBuilder web(ProcessSpec web) {
    this.web = web;
    return this;
  }

  public SpecBuilder worker(ProcessSpec worker) {
    this.worker = Optional.of(worker);
    return this;
  }

  public SpecBuilder env(Map<String, String> env) {
    this.env = env;
    return this;
  }

  public SpecBuilder ttl(Optional<Ttl> ttl) {
    this.ttl = ttl;
    return this;
  }

  public SpecBuilder sleepAfter(Optional<SleepAfter> sleepAfter) {
    this.sleepAfter = sleepAfter;
    return this;
  }

  public ReviewAppSpec build() {
    return new ReviewAppSpec(
        branch,
        commit,
        image,
        database,
        redis,
        release,
        new Processes(web, worker),
        env,
        ttl,
        sleepAfter);
  }

  /** The spec in an app named {@code deploy-x}. */
  public ReviewApp app() {
    return new ReviewApp(Metadata.named("deploy-x"), build());
  }
}
