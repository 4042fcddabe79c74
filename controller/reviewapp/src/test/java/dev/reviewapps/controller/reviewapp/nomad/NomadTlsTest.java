package dev.reviewapps.controller.reviewapp.nomad;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import dev.reviewapps.client.nomad.NomadConnection;
import dev.reviewapps.controller.reviewapp.testing.TrueJob;
import dev.reviewapps.devstack.nomad.NomadConfig;
import dev.reviewapps.devstack.nomad.NomadStandIn;
import dev.reviewapps.tls.ClientTls;
import dev.reviewapps.tls.ServerTls;
import dev.reviewapps.tls.ThrowawayCa;
import java.net.URI;
import java.nio.file.Path;
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
  static ThrowawayCa.Pki pki;
  static ThrowawayCa ca;
  static NomadStandIn byAddress;
  static NomadStandIn byName;
  static NomadStandIn mutual;

  @BeforeAll
  static void start() throws Exception {
    pki = ThrowawayCa.Pki.create(dir, "server.global.nomad");
    ca = pki.ca();
    byAddress = start(pki.server(pki.byAddress(), false));
    byName = start(pki.server(pki.byName(), false));
    mutual = start(pki.server(pki.byAddress(), true));
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
    return ThrowawayCa.Pki.trusting(authority);
  }

  private static void register(SdkNomadJobs jobs, String app) {
    jobs.register(TrueJob.of(app, Map.of(ReviewAppJobs.META_APP, app), "run"));
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
            () -> jobs(byAddress, trusting(pki.otherCa()), Optional.empty()).registered("a", "a"))
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
    assertThat(jobs(mutual, pki.mutualClient(), Optional.empty()).registered("a", "a")).isEmpty();
  }
}
