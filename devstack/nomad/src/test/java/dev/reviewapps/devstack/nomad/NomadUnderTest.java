package dev.reviewapps.devstack.nomad;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import java.io.IOException;
import java.util.Optional;

/**
 * The Nomad a test talks to: a real one when {@code NOMAD_ADDR} is set (so the contract suite can
 * prove the stand-in honest), else a stand-in started for the test.
 */
final class NomadUnderTest implements AutoCloseable {
  private final Optional<NomadStandIn> standIn;
  private final String address;
  private final NomadApiClient client;

  private NomadUnderTest(Optional<NomadStandIn> standIn, String address) {
    this.standIn = standIn;
    this.address = address;
    NomadApiConfiguration.Builder config = new NomadApiConfiguration.Builder().setAddress(address);
    Optional.ofNullable(System.getenv("NOMAD_TOKEN")).ifPresent(config::setAuthToken);
    this.client = new NomadApiClient(config.build());
  }

  static NomadUnderTest start(NomadConfig config) throws IOException {
    String real = System.getenv("NOMAD_ADDR");
    if (real != null && !real.isBlank()) {
      return new NomadUnderTest(Optional.empty(), real);
    }
    NomadStandIn nomad = NomadStandIn.start(config);
    return new NomadUnderTest(Optional.of(nomad), nomad.baseUrl());
  }

  static NomadUnderTest start() throws IOException {
    return start(NomadConfig.defaults());
  }

  NomadApiClient client() {
    return client;
  }

  String address() {
    return address;
  }

  /** The stand-in, when the test runs against one. */
  Optional<NomadStandIn> standIn() {
    return standIn;
  }

  @Override
  public void close() throws IOException {
    client.close();
    standIn.ifPresent(NomadStandIn::close);
  }
}
