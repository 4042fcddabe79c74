package dev.reviewapps.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.reviewapps.consul.ConsulApiSessions;
import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.ConsulUnavailable;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.controller.leader.LeaderCallbacks;
import dev.reviewapps.controller.leader.LeaderElection;
import dev.reviewapps.controller.leader.LeaderSettings;
import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.devstack.consul.acl.AclRules;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * The controller's shipped Consul policy (deploy/acl/controller.json) under default deny: every
 * prefix the controller writes, the leader lock with its session, and nothing outside them.
 */
class ControllerPolicyTest {

  private static final List<String> PREFIXES =
      List.of(
          "specs",
          "status",
          "inventory",
          "routes",
          "phases",
          "secrets",
          "guard",
          "gc",
          "activity",
          "wake");

  @Test
  void theShippedPolicyLetsTheControllerDoItsWorkAndNothingElse() throws Exception {
    Path repo = Path.of(System.getProperty("user.dir")).getParent();
    String rules = Files.readString(repo.resolve("deploy/acl/controller.json"));
    String acl =
        "{\"default_policy\": \"deny\", \"tokens\": [{\"SecretID\": \"controller-policy\","
            + " \"Rules\": "
            + rules
            + "}]}";
    try (ConsulStandIn consul =
            ConsulStandIn.start(
                ConsulConfig.defaults()
                    .withAclRules(AclRules.parse(acl))
                    .withSessionTtlMin(Duration.ofSeconds(1)));
        ConsulConnection connection =
            new ConsulConnection(
                new ConsulEndpoint(URI.create(consul.baseUrl()), Optional.of("controller-policy")),
                new SimpleMeterRegistry())) {
      KeyValueStore kv = new ConsulApiStore(connection);
      for (String prefix : PREFIXES) {
        String key = "review-apps/" + prefix + "/deploy-x";
        kv.put(key, "v".getBytes(StandardCharsets.UTF_8));
        assertThat(kv.get(key)).as(key).isPresent();
        kv.delete(key);
      }

      AtomicBoolean leading = new AtomicBoolean();
      try (LeaderElection election =
          new LeaderElection(
              kv,
              new ConsulApiSessions(connection),
              new LeaderSettings(
                  "review-apps/leader", "controller-1", Duration.ofSeconds(10), Duration.ZERO),
              new LeaderCallbacks() {
                @Override
                public void startedLeading() {
                  leading.set(true);
                }

                @Override
                public void stoppedLeading() {
                  leading.set(false);
                }
              })) {
        election.start();
        await().atMost(Duration.ofSeconds(10)).untilTrue(leading);
      }

      for (String foreign : List.of("other-team/x", "review-apps/unknown/x", "review-apps")) {
        assertThatThrownBy(() -> kv.put(foreign, "v".getBytes(StandardCharsets.UTF_8)))
            .as(foreign)
            .isInstanceOf(ConsulUnavailable.class)
            .hasMessageContaining("403");
      }
    }
  }
}
