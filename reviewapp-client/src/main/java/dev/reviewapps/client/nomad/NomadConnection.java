package dev.reviewapps.client.nomad;

import com.hashicorp.nomad.javasdk.NomadApiClient;
import com.hashicorp.nomad.javasdk.NomadApiConfiguration;
import dev.reviewapps.consul.ConsulConnection;
import dev.reviewapps.tls.ClientTls;
import java.net.URI;
import java.util.Optional;
import org.apache.http.impl.client.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the nomad-sdk client of the controller and reviewctl. For {@code https://} addresses the
 * SDK gets an HTTP client of ours instead of its own TLS set-up: the SDK reads keys through an old
 * BouncyCastle, knows no {@code NOMAD_TLS_SERVER_NAME}, and its hostname check differs from the
 * JDK's. Ours is the one the Consul client uses ({@link ClientTls}), so both speak TLS alike.
 */
public final class NomadConnection {
  private static final Logger log = LoggerFactory.getLogger(NomadConnection.class);

  private NomadConnection() {}

  /**
   * A client of the Nomad API at {@code address}; with a namespace, every call of the SDK names it.
   */
  public static NomadApiClient connect(
      URI address,
      Optional<String> token,
      Optional<String> region,
      Optional<String> namespace,
      ClientTls tls) {
    NomadApiConfiguration.Builder builder =
        new NomadApiConfiguration.Builder().setAddress(address.toString());
    token.ifPresent(builder::setAuthToken);
    region.ifPresent(builder::setRegion);
    namespace.ifPresent(builder::setNamespace);
    NomadApiConfiguration config = builder.build();
    if (!"https".equals(address.getScheme())) {
      return new NomadApiClient(config);
    }
    if (!tls.verify()) {
      log.warn(
          "TLS certificate checks of Nomad are off (NOMAD_SKIP_VERIFY=true): anyone on the path"
              + " to {} can read the ACL token and the jobs' environment",
          address);
    }
    return new NomadApiClient(
        config,
        HttpClientBuilder.create()
            .setSSLSocketFactory(ConsulConnection.tlsSockets(tls))
            .disableCookieManagement()
            .build());
  }
}
