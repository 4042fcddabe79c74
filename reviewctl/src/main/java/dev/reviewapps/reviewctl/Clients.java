package dev.reviewapps.reviewctl;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import dev.reviewapps.client.nomad.NomadConnection;
import dev.reviewapps.consul.ConsulApiStore;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.consul.ConsulEndpoint;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.net.URI;
import java.util.Optional;

/**
 * The clients of one reviewctl run, each built when a command first needs it: Consul through the
 * engine's own {@link ConsulApiStore} (token in the {@code X-Consul-Token} header, errors without
 * URLs), Nomad through nomad-sdk.
 */
final class Clients implements AutoCloseable {
  private final Settings settings;
  private ConsulConnection consulConnection;
  private KeyValueStore store;
  private NomadApiClient nomad;

  Clients(Settings settings) {
    this.settings = settings;
  }

  KeyLayout layout() {
    try {
      return new KeyLayout(settings.prefix());
    } catch (IllegalArgumentException e) {
      throw new CliError("bad --prefix / REVIEW_APPS_PREFIX: " + e.getMessage());
    }
  }

  KeyValueStore store() {
    if (store == null) {
      URI address;
      ConsulEndpoint endpoint;
      try {
        address = ConsulEndpoint.parseAddress(settings.consul(), settings.consulSsl());
        endpoint = new ConsulEndpoint(address, settings.consulToken(), settings.consulTls());
      } catch (IllegalArgumentException e) {
        throw new CliError("bad --consul / CONSUL_HTTP_ADDR: " + e.getMessage());
      }
      // The meters of ConsulConnection have no reader in a CLI run; a simple registry suffices.
      consulConnection = new ConsulConnection(endpoint, new SimpleMeterRegistry());
      store = new ConsulApiStore(consulConnection);
    }
    return store;
  }

  NomadApiClient nomad() {
    if (nomad == null) {
      String address =
          settings.nomad().contains("://") ? settings.nomad() : "http://" + settings.nomad();
      if (URI.create(address).getHost() == null) {
        throw new CliError("bad --nomad / NOMAD_ADDR: not a URL: " + settings.nomad());
      }
      nomad =
          NomadConnection.connect(
              URI.create(address),
              settings.nomadToken(),
              Optional.empty(),
              settings.nomadNamespace(),
              settings.nomadTls());
    }
    return nomad;
  }

  @Override
  public void close() {
    try {
      if (consulConnection != null) {
        consulConnection.close();
      }
      if (nomad != null) {
        nomad.close();
      }
    } catch (IOException e) {
      // Closing idle HTTP clients at exit: nothing left to tell the user.
    }
  }
}
