package dev.reviewapps.controller.reviewapp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.controller.config.ResilienceSettings;
import dev.reviewapps.controller.resilience.OutsideSystems;
import dev.reviewapps.controller.reviewapp.nomad.NomadJobs;
import dev.reviewapps.controller.reviewapp.nomad.SdkNomadJobs;
import io.github.resilience4j.circuitbreaker.CallNotPermittedException;
import io.github.resilience4j.circuitbreaker.CircuitBreaker;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GuardedProvidersTest {

  @Test
  void aNomadThatDoesNotAnswerOpensItsBreakerAndCallsStopAtOnce() throws IOException {
    int closedPort;
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closedPort = s.getLocalPort();
    }
    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OutsideSystems systems =
        new OutsideSystems(
            new ResilienceSettings(2, Duration.ofMillis(1), 50f, 4, Duration.ofMinutes(1)),
            registry,
            Set.copyOf(GuardedProviders.SYSTEMS));
    try (NomadApiClient client =
        new NomadApiClient(
            new NomadApiConfiguration.Builder()
                .setAddress("http://127.0.0.1:" + closedPort)
                .build())) {
      NomadJobs nomad =
          GuardedProviders.nomad(new SdkNomadJobs(client), systems.system(GuardedProviders.NOMAD));
      // Two calls of two attempts each fill the window of four with failures.
      for (int i = 0; i < 2; i++) {
        assertThatThrownBy(() -> nomad.registered("deploy-x", "deploy-x"))
            .isInstanceOf(SdkNomadJobs.NomadCallFailed.class);
      }
      assertThat(systems.system(GuardedProviders.NOMAD).breaker().getState())
          .isEqualTo(CircuitBreaker.State.OPEN);
      assertThatThrownBy(() -> nomad.registered("deploy-x", "deploy-x"))
          .isInstanceOf(CallNotPermittedException.class);
      assertThat(registry.find("resilience4j.circuitbreaker.state").tag("name", "nomad").meters())
          .isNotEmpty();
    }
  }
}
