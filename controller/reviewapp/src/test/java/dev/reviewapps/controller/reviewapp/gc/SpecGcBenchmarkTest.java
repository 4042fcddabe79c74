package dev.reviewapps.controller.reviewapp.gc;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.controller.git.GitLsRemoteBranchSource;
import dev.reviewapps.controller.reviewapp.guard.DeletionGuard;
import dev.reviewapps.controller.reviewapp.guard.GuardLimits;
import dev.reviewapps.controller.reviewapp.testing.BareRepository;
import dev.reviewapps.controller.reviewapp.testing.LocalConsul;
import dev.reviewapps.controller.reviewapp.testing.TestClock;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * What one GC pass costs with many apps: 1,000 specs with a TTL, a bare repository with their 1,000
 * branches, 10 of them deleted. Prints the time of the first pass (every first sighting written),
 * of a pass at rest, and of the pass that deletes the 10 specs.
 */
@Tag("bench")
class SpecGcBenchmarkTest {
  private static final int APPS = 1_000;

  @RegisterExtension static final LocalConsul consul = new LocalConsul();

  @TempDir Path dir;

  @Test
  void onePassOverAThousandSpecs() throws Exception {
    KeyLayout layout = consul.freshLayout();
    String[] branches =
        IntStream.range(0, APPS).mapToObj(i -> "deploy-" + i).toArray(String[]::new);
    BareRepository repository = BareRepository.create(dir, branches);
    for (String app : branches) {
      consul.put(
          layout.spec(app),
          "{\"apiVersion\":\"reviewapps/v1\",\"kind\":\"ReviewApp\",\"metadata\":{\"name\":\""
              + app
              + "\"},\"spec\":{\"branch\":\""
              + app
              + "\",\"commit\":\"c0ffee1\",\"image\":\"shop/web:1\","
              + "\"database\":{\"mode\":\"shared\"},\"processes\":{\"web\":{\"command\":\"run\"}},"
              + "\"ttl\":\"7d\"}}");
    }
    TestClock clock = new TestClock(Instant.parse("2026-11-26T08:00:00Z"));
    MeterRegistry registry = new SimpleMeterRegistry();
    GcRecords records = new GcRecords(consul.kv, layout);
    SpecGc gc =
        new SpecGc(
            consul.kv,
            layout,
            Optional.of(
                new GitLsRemoteBranchSource(repository.path().toString(), Duration.ofSeconds(60))),
            records,
            new Expiry(records, Optional.empty(), clock),
            new DeletionGuard(consul.kv, layout, GuardLimits.DEFAULTS, registry, clock),
            Duration.ofMinutes(10),
            Duration.ZERO,
            clock,
            registry);

    long first = timed(gc);
    long atRest = timed(gc);
    repository.delete(IntStream.range(0, 10).mapToObj(i -> "deploy-" + i).toArray(String[]::new));
    long deleting = timed(gc);

    assertThat(consul.kv.keys(layout.specs())).hasSize(APPS - 10);
    System.out.printf(
        "GC pass over %d specs: first %d ms, at rest %d ms, deleting 10 %d ms%n",
        APPS, first, atRest, deleting);
  }

  private static long timed(SpecGc gc) {
    long start = System.nanoTime();
    gc.runOnce();
    return (System.nanoTime() - start) / 1_000_000;
  }
}
