package dev.reviewapps.controller.reviewapp.nomad;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.javasdk.NomadJson;
import dev.reviewapps.client.inventory.Footprint;
import dev.reviewapps.controller.reviewapp.SampleSpecs;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Checks the JSON nomad-sdk sends for the jobs the builder makes. */
class ReviewAppJobsTest {

  private static final String DB_URL = "postgresql://ra_app:pw-secret@db.internal:5432/ra_app";
  private final ObjectMapper json = new ObjectMapper();

  private JsonNode wire(Job job) throws Exception {
    return json.readTree(NomadJson.serialize(job));
  }

  private AppRelease release(String commit) {
    return new AppRelease(
        "deploy-new-checkout",
        SampleSpecs.checkout(commit),
        DB_URL,
        Optional.of("redis://10.0.0.7:23456/0"));
  }

  @Test
  void dockerTasksRunInBridgeNetworkingWithMappedPortsAndRedisRequiresTheAppsPassword()
      throws Exception {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    AppRelease release =
        new AppRelease(
            "deploy-new-checkout",
            SampleSpecs.checkout("3f2a9c1e"),
            DB_URL,
            Optional.of("redis://:r3dis-pw@10.0.0.7:23456/0"),
            Optional.of("r3dis-pw"));
    JsonNode job = wire(jobs.serviceJob(release, true));
    assertThat(job.toString()).doesNotContain("network_mode").doesNotContain("\"host\"");
    for (JsonNode group : job.get("TaskGroups")) {
      String name = group.get("Name").asText();
      JsonNode config = group.get("Tasks").get(0).get("Config");
      switch (name) {
        case "web" -> {
          assertThat(config.get("ports").get(0).asText()).isEqualTo("http");
          JsonNode port = group.get("Networks").get(0).get("DynamicPorts").get(0);
          assertThat(port.get("Label").asText()).isEqualTo("http");
          assertThat(port.get("To").asInt()).isEqualTo(8080);
          JsonNode env = group.get("Tasks").get(0).get("Env");
          assertThat(env.get("HOST").asText()).isEqualTo("0.0.0.0");
          assertThat(env.get("PORT").asText()).isEqualTo("${NOMAD_PORT_http}");
          assertThat(env.get("REDIS_URL").asText()).isEqualTo("redis://:r3dis-pw@10.0.0.7:23456/0");
        }
        case "redis" -> {
          assertThat(config.get("ports").get(0).asText()).isEqualTo("redis");
          assertThat(group.get("Networks").get(0).get("DynamicPorts").get(0).get("To").asInt())
              .isEqualTo(6379);
          assertThat(config.get("args").toString())
              .contains("\"--requirepass\",\"${REDIS_PASSWORD}\"");
          assertThat(group.get("Tasks").get(0).get("Env").get("REDIS_PASSWORD").asText())
              .isEqualTo("r3dis-pw");
        }
        case "worker" -> assertThat(config.has("ports")).isFalse();
        default -> throw new AssertionError("unexpected group " + name);
      }
    }
  }

  @Test
  void theServiceJobHasRedisWebAndWorkerGroupsNamedAfterTheApp() throws Exception {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    JsonNode job = wire(jobs.serviceJob(release("3f2a9c1e"), true));

    assertThat(job.get("ID").asText()).isEqualTo("deploy-new-checkout");
    assertThat(job.get("Type").asText()).isEqualTo("service");
    assertThat(job.get("Meta").get("review-app").asText()).isEqualTo("deploy-new-checkout");
    assertThat(job.get("Meta").get("review-apps-instance").asText()).isEqualTo("review-apps");
    // Job-level Meta does not change with the release: a change there would restart Redis.
    assertThat(job.get("Meta")).hasSize(2);
    assertThat(job.get("TaskGroups").get(1).get("Meta").get("commit").asText())
        .isEqualTo("3f2a9c1e");
    List<String> groups = new ArrayList<>();
    job.get("TaskGroups").forEach(g -> groups.add(g.get("Name").asText()));
    assertThat(groups).containsExactly("redis", "web", "worker");

    JsonNode web = job.get("TaskGroups").get(1);
    assertThat(web.get("Count").asInt()).isEqualTo(2);
    assertThat(web.get("Networks").get(0).get("DynamicPorts").get(0).get("Label").asText())
        .isEqualTo("http");
    JsonNode check = web.get("Services").get(0).get("Checks").get(0);
    assertThat(check.get("Type").asText()).isEqualTo("http");
    assertThat(check.get("Path").asText()).isEqualTo("/health");
    assertThat(check.get("PortLabel").asText()).isEqualTo("http");
    assertThat(check.get("Interval").asLong()).isEqualTo(5_000_000_000L);

    JsonNode webTask = web.get("Tasks").get(0);
    assertThat(webTask.get("Driver").asText()).isEqualTo("docker");
    assertThat(webTask.get("Config").get("image").asText())
        .isEqualTo("registry.example.com/shop/web:3f2a9c1e");
    assertThat(webTask.get("Resources").get("CPU").asInt()).isEqualTo(500);
    assertThat(webTask.get("Resources").get("MemoryMB").asInt()).isEqualTo(1024);
    JsonNode env = webTask.get("Env");
    assertThat(env.get("DATABASE_URL").asText()).isEqualTo(DB_URL);
    assertThat(env.get("REDIS_URL").asText()).isEqualTo("redis://10.0.0.7:23456/0");
    assertThat(env.get("PORT").asText()).isEqualTo("${NOMAD_PORT_http}");
    assertThat(env.get("RAILS_ENV").asText()).isEqualTo("staging");
    assertThat(env.get("REVIEW_APP_NAME").asText()).isEqualTo("deploy-new-checkout");
    assertThat(env.get("REVIEW_APP_COMMIT").asText()).isEqualTo("3f2a9c1e");

    JsonNode redis = job.get("TaskGroups").get(0);
    assertThat(redis.get("Tasks").get(0).get("Config").get("image").asText()).isEqualTo("redis:7");
    // Redis gets no app environment (no DATABASE_URL): only its password, when there is one.
    assertThat(redis.get("Tasks").get(0).get("Env").size()).isZero();
  }

  @Test
  void aReplacedWebAllocationKeepsServingForTheShutdownDelay() throws Exception {
    ReviewAppJobs.Settings d = ReviewAppJobs.Settings.defaults(new TaskDriver.Docker());
    ReviewAppJobs jobs =
        new ReviewAppJobs(
            new ReviewAppJobs.Settings(
                d.datacenters(),
                d.driver(),
                d.redis(),
                d.release(),
                d.healthInterval(),
                d.healthTimeout(),
                Duration.ofSeconds(30),
                d.webHealthyDeadline()));
    JsonNode job = wire(jobs.serviceJob(release("3f2a9c1e"), true));

    assertThat(job.get("TaskGroups").get(1).get("ShutdownDelay").asLong())
        .isEqualTo(30_000_000_000L);
    // Redis is never replaced by a deploy, and the worker takes no traffic: no delay for them.
    assertThat(job.get("TaskGroups").get(0).path("ShutdownDelay").asLong(0)).isZero();
    // Blue/green: a new release's web starts beside the old one and waits for promotion.
    JsonNode update = job.get("TaskGroups").get(1).get("Update");
    assertThat(update.get("Canary").asInt())
        .isEqualTo(job.get("TaskGroups").get(1).get("Count").asInt())
        .isPositive();
    assertThat(update.get("AutoPromote").asBoolean()).isFalse();
    assertThat(update.get("AutoRevert").asBoolean()).isFalse();
    assertThat(update.get("HealthCheck").asText()).isEqualTo("checks");
    assertThat(update.get("HealthyDeadline").asLong()).isEqualTo(Duration.ofMinutes(5).toNanos());
    assertThat(update.get("ProgressDeadline").asLong()).isEqualTo(Duration.ofMinutes(6).toNanos());
    assertThat(
            job.get("TaskGroups").get(0).path("Update").isMissingNode()
                || job.get("TaskGroups").get(0).path("Update").isNull())
        .isTrue();
    // Asleep the web group keeps the same update block: count 0 is no destructive change.
    JsonNode asleep = wire(jobs.sleepingServiceJob(release("3f2a9c1e")));
    assertThat(asleep.get("TaskGroups").get(1).get("Update")).isEqualTo(update);
    assertThat(job.get("TaskGroups").get(2).path("ShutdownDelay").asLong(0)).isZero();
  }

  @Test
  void beforeTheMigrationTheServiceJobRunsOnlyRedisAndItsGroupStaysTheSameAfter() throws Exception {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    JsonNode before = wire(jobs.serviceJob(release("3f2a9c1e"), false));
    assertThat(before.get("TaskGroups")).hasSize(1);
    assertThat(before.get("TaskGroups").get(0).get("Name").asText()).isEqualTo("redis");
    JsonNode after = wire(jobs.serviceJob(release("77aa0b12"), true));
    // Same Redis group and job Meta: Nomad updates it in place, Redis keeps its address.
    assertThat(after.get("TaskGroups").get(0)).isEqualTo(before.get("TaskGroups").get(0));
    assertThat(after.get("Meta")).isEqualTo(before.get("Meta"));
  }

  @Test
  void rawExecRunsTheCommandThroughTheTemplate() throws Exception {
    TaskDriver driver =
        new TaskDriver.RawExec(Map.of(TaskRole.WEB, "cd /srv/app && exec {command}"));
    ReviewAppJobs jobs = new ReviewAppJobs(ReviewAppJobs.Settings.defaults(driver));
    JsonNode job = wire(jobs.serviceJob(release("3f2a9c1e"), true));
    JsonNode web = job.get("TaskGroups").get(1).get("Tasks").get(0);
    assertThat(web.get("Driver").asText()).isEqualTo("raw_exec");
    assertThat(web.get("Config").get("command").asText()).isEqualTo("/bin/sh");
    assertThat(web.get("Config").get("args").get(1).asText())
        .isEqualTo("cd /srv/app && exec bundle exec unicorn -p $PORT");
    JsonNode worker = job.get("TaskGroups").get(2).get("Tasks").get(0);
    assertThat(worker.get("Config").get("args").get(1).asText())
        .isEqualTo("exec bundle exec rake resque:work");
    JsonNode redis = job.get("TaskGroups").get(0).get("Tasks").get(0);
    assertThat(redis.get("Config").get("args").get(1).asText()).contains("redis-server");
  }

  @Test
  void theSpecsEnvironmentCannotOverrideWhatTheControllerSets() throws Exception {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    JsonNode env =
        wire(jobs.serviceJob(release("3f2a9c1e"), true))
            .get("TaskGroups")
            .get(2)
            .get("Tasks")
            .get(0)
            .get("Env");
    assertThat(env.get("DATABASE_URL").asText()).isEqualTo(DB_URL);
  }

  @Test
  void eachReleaseHasItsOwnMigrateAndSeedJob() throws Exception {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    Job first = jobs.migrateJob(release("3f2a9c1e"), "rake db:migrate");
    Job second = jobs.migrateJob(release("77aa0b12"), "rake db:migrate");
    assertThat(first.getId()).startsWith("deploy-new-checkout.migrate.");
    assertThat(first.getId()).isNotEqualTo(second.getId());
    assertThat(first.getType()).isEqualTo("batch");
    JsonNode group = wire(first).get("TaskGroups").get(0);
    assertThat(group.get("Name").asText()).isEqualTo("migrate");
    assertThat(group.get("RestartPolicy").get("Mode").asText()).isEqualTo("fail");
    assertThat(group.get("ReschedulePolicy").get("Attempts").asInt()).isZero();
    assertThat(jobs.seedJob(release("3f2a9c1e"), "rake db:seed").getId())
        .startsWith("deploy-new-checkout.seed.")
        .isNotEqualTo(jobs.seedJob(release("77aa0b12"), "rake db:seed").getId());
  }

  @Test
  void theSpecHashChangesWithTheJobAndOnlyWithIt() {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    String a = ReviewAppJobs.specHash(jobs.serviceJob(release("3f2a9c1e"), true));
    String again = ReviewAppJobs.specHash(jobs.serviceJob(release("3f2a9c1e"), true));
    String b = ReviewAppJobs.specHash(jobs.serviceJob(release("77aa0b12"), true));
    assertThat(a).isEqualTo(again).isNotEqualTo(b);
  }

  @Test
  void allocationsListEveryCopyOfEveryGroup() {
    ReviewAppJobs jobs =
        new ReviewAppJobs(ReviewAppJobs.Settings.defaults(new TaskDriver.Docker()));
    assertThat(jobs.allocations(SampleSpecs.checkout("3f2a9c1e")))
        .containsExactly(
            new Footprint(100, 64),
            new Footprint(500, 1024),
            new Footprint(500, 1024),
            new Footprint(250, 512));
  }

  @Test
  void theReleaseDoesNotPrintTheDatabasePassword() {
    assertThat(release("3f2a9c1e").toString()).doesNotContain("pw-secret");
  }
}
