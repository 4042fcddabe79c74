package dev.reviewapps.controller.reviewapp.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hashicorp.nomad.apimodel.Job;
import com.hashicorp.nomad.apimodel.Task;
import com.hashicorp.nomad.apimodel.TaskGroup;
import com.hashicorp.nomad.javasdk.NomadApiClient;
import dev.reviewapps.devstack.nomad.NomadConfig;
import dev.reviewapps.devstack.nomad.NomadStandIn;
import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ServerTls;
import dev.reviewapps.tls.ThrowawayCa;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The controller's Nomad client (nomad-sdk over our TLS transport) against the devstack Nomad
 * serving TLS: good certificate, wrong CA, wrong name, server name, mutual TLS; and the configured
 * namespace on every job it registers.
 */
class NomadTlsTest {
  @TempDir static Path dir;
  static ThrowawayCa ca;
  static ThrowawayCa otherCa;
  static ThrowawayCa.Issued client;
  static NomadStandIn byAddress;
  static NomadStandIn byName;
  static NomadStandIn mutual;

  @BeforeAll
  static void start() throws Exception {
    ca = ThrowawayCa.create(dir, "nomad");
    otherCa = ThrowawayCa.create(dir, "other");
    ThrowawayCa.Issued local = ca.issue("localhost", "localhost", "IP:127.0.0.1");
    ThrowawayCa.Issued named = ca.issue("server.global.nomad", "server.global.nomad");
    client = ca.issue("controller", "controller.internal");
    byAddress = start(new ServerTls(local.certificate(), local.key(), Optional.empty()));
    byName = start(new ServerTls(named.certificate(), named.key(), Optional.empty()));
    mutual = start(new ServerTls(local.certificate(), local.key(), Optional.of(ca.certificate())));
  }

  private static NomadStandIn start(ServerTls tls) throws Exception {
    return NomadStandIn.start(NomadConfig.defaults().toBuilder().tls(Optional.of(tls)).build());
  }

  @AfterAll
  static void stop() {
    for (NomadStandIn n : new NomadStandIn[] {byAddress, byName, mutual}) {
      if (n != null) {
        n.close();
      }
    }
  }

  private static NomadApiClient client(NomadStandIn nomad, ClientTls tls, Optional<String> ns) {
    URI address = URI.create(nomad.baseUrl());
    assertThat(address.getScheme()).isEqualTo("https");
    return NomadConnection.connect(address, Optional.of("t0ken"), Optional.empty(), ns, tls);
  }

  private static SdkNomadJobs jobs(NomadStandIn nomad, ClientTls tls, Optional<String> ns) {
    return new SdkNomadJobs(client(nomad, tls, ns));
  }

  private static ClientTls trusting(ThrowawayCa authority) {
    return new ClientTls(
        Optional.of(authority.certificate()),
        Optional.empty(),
        Optional.empty(),
        Optional.empty(),
        true);
  }

  private static void register(SdkNomadJobs jobs, String app) {
    jobs.register(
        new Job()
            .setId(app)
            .setName(app)
            .setType("batch")
            .setDatacenters(List.of("dc1"))
            .setMeta(Map.of(ReviewAppJobs.META_APP, app))
            .addTaskGroups(
                new TaskGroup()
                    .setName("run")
                    .setCount(1)
                    .addTasks(
                        new Task()
                            .setName("run")
                            .setDriver("raw_exec")
                            .addConfig("command", "/bin/true"))));
  }

  @Test
  void aCertificateFromTheConfiguredCaIsTrustedAndJobsGoToTheNamespace() throws Exception {
    NomadApiClient client = client(byAddress, trusting(ca), Optional.of("review-apps"));
    SdkNomadJobs jobs = new SdkNomadJobs(client);
    register(jobs, "tls-ns");
    assertThat(jobs.registered("tls-ns", "tls-ns")).isPresent();
    assertThat(client.getJobsApi().info("tls-ns").getValue().getNamespace())
        .isEqualTo("review-apps");
  }

  @Test
  void aCertificateFromAnotherCaIsRefused() {
    assertThatThrownBy(
            () -> jobs(byAddress, trusting(otherCa), Optional.empty()).registered("a", "a"))
        .isInstanceOf(SdkNomadJobs.NomadCallFailed.class)
        .hasMessageContaining("NOMAD_CACERT")
        .hasMessageNotContaining("t0ken");
  }

  @Test
  void aCertificateForAnotherNameIsRefusedUntilTheServerNameIsSet() {
    assertThatThrownBy(() -> jobs(byName, trusting(ca), Optional.empty()).registered("a", "a"))
        .hasMessageContaining("NOMAD_TLS_SERVER_NAME");
    assertThat(
            jobs(
                    byName,
                    trusting(ca).withServerName(Optional.of("server.global.nomad")),
                    Optional.empty())
                .registered("a", "a"))
        .isEmpty();
  }

  @Test
  void mutualTlsNeedsTheClientCertificate() {
    assertThatThrownBy(() -> jobs(mutual, trusting(ca), Optional.empty()).registered("a", "a"))
        .isInstanceOf(SdkNomadJobs.NomadCallFailed.class);
    ClientTls withCertificate =
        new ClientTls(
            Optional.of(ca.certificate()),
            Optional.of(client.certificate()),
            Optional.of(client.key()),
            Optional.empty(),
            true);
    assertThat(jobs(mutual, withCertificate, Optional.empty()).registered("a", "a")).isEmpty();
  }
}
