package dev.reviewapps.controller.resilience;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.controller.config.ResilienceSettings;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class OutsideSystemsTest {
  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final OutsideSystems systems =
      new OutsideSystems(
          new ResilienceSettings(3, Duration.ofMillis(1), 50, 4, Duration.ofMinutes(1)),
          registry,
          Set.of("postgres"));

  @Test
  void aPassingFailureIsRetriedAway() {
    AtomicInteger calls = new AtomicInteger();

    String answer =
        systems
            .system("nomad")
            .call(
                () -> {
                  if (calls.incrementAndGet() < 3) {
                    throw new IllegalStateException("503");
                  }
                  return "ok";
                });

    assertThat(answer).isEqualTo("ok");
    assertThat(calls).hasValue(3);
  }

  @Test
  void aSystemThatKeepsFailingOpensItsBreakerAndIsNoLongerCalled() {
    OutsideSystem consul = systems.system(OutsideSystems.CONSUL);
    AtomicInteger calls = new AtomicInteger();
    Supplier<Object> failing =
        () -> {
          calls.incrementAndGet();
          throw new ConsulUnavailable("down", 0);
        };
    assertThatThrownBy(() -> consul.call(failing)).isInstanceOf(ConsulUnavailable.class);
    assertThat(calls).as("three attempts").hasValue(3);

    // The fourth failure fills the window of 4 and opens the breaker; the retry stops there.
    assertThatThrownBy(() -> consul.call(failing)).isInstanceOf(CallNotPermittedException.class);
    assertThat(calls).hasValue(4);
    assertThat(consul.breaker().getState()).isEqualTo(CircuitBreaker.State.OPEN);
    int before = calls.get();

    assertThatThrownBy(() -> consul.call(calls::incrementAndGet))
        .isInstanceOf(CallNotPermittedException.class);
    assertThat(calls.get()).as("open: not called, not retried").isEqualTo(before);
    assertThat(systems.system("rds").breaker().getState())
        .as("each system has its own breaker")
        .isEqualTo(CircuitBreaker.State.CLOSED);
  }

  @Test
  void retryAndBreakerMetricsAreInTheRegistryPerSystem() {
    systems.system("s3").call(() -> "ok");

    String scrape = registry.scrape();
    assertThat(scrape)
        .contains("resilience4j_circuitbreaker_state{name=\"s3\",state=\"closed\"} 1.0")
        .as("consul and the registered names exist before any call")
        .contains("resilience4j_circuitbreaker_state{name=\"consul\",state=\"closed\"} 1.0")
        .contains("resilience4j_circuitbreaker_state{name=\"postgres\",state=\"closed\"} 1.0")
        .as("a name nobody registered or called has no meters")
        .doesNotContain("name=\"nomad\"")
        .contains(
            "resilience4j_retry_calls_total{kind=\"successful_without_retry\",name=\"s3\"} 1.0");
  }
}
