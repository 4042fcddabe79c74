package dev.reviewapps.consul;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import dev.reviewapps.tls.ClientTls;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.http.HttpRequestInterceptor;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.conn.ssl.NoopHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The two consul-api clients the controller talks through: one with a short read timeout for
 * ordinary calls, one whose read timeout outlasts Consul's longest blocking query (10 minutes plus
 * Consul's wait/16 jitter). Both send the ACL token in the {@code X-Consul-Token} header rather
 * than consul-api's {@code ?token=} parameter, so that it never shows up in a URL, and both count
 * every HTTP request in {@code consul_client_requests_total{endpoint,method}}.
 *
 * <p>Closing the connection closes the HTTP clients, which also ends blocking queries in flight.
 */
public final class ConsulConnection implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(ConsulConnection.class);
  private static final int QUICK_READ_TIMEOUT_MS = 10_000;
  private static final int BLOCKING_READ_TIMEOUT_MS = 11 * 60_000;
  private static final int CONNECT_TIMEOUT_MS = 5_000;

  private final CloseableHttpClient quickHttp;
  private final CloseableHttpClient blockingHttp;
  private final ConsulRawClient quickRaw;
  private final ConsulClient quick;
  private final ConsulClient blocking;

  public ConsulConnection(ConsulEndpoint endpoint, MeterRegistry registry) {
    Map<List<String>, Counter> counters = new ConcurrentHashMap<>();
    HttpRequestInterceptor counting =
        (request, context) -> {
          String method = request.getRequestLine().getMethod();
          String endpointName = endpointOf(request.getRequestLine().getUri());
          counters
              .computeIfAbsent(
                  List.of(endpointName, method),
                  k ->
                      Counter.builder("consul.client.requests")
                          .description("HTTP requests sent to Consul")
                          .tag("endpoint", k.get(0))
                          .tag("method", k.get(1))
                          .register(registry))
              .increment();
        };
    HttpRequestInterceptor token =
        (request, context) ->
            endpoint.token().ifPresent(t -> request.setHeader("X-Consul-Token", t));
    if (endpoint.https() && !endpoint.tls().verify()) {
      log.warn(
          "TLS certificate checks of Consul are off (CONSUL_HTTP_SSL_VERIFY=false): anyone on"
              + " the path to {} can read the ACL token and the values",
          endpoint.address());
    }
    // One socket factory (and so one CA and key read) for both clients.
    Optional<SSLConnectionSocketFactory> tls =
        endpoint.https() ? Optional.of(tlsSockets(endpoint.tls())) : Optional.empty();
    this.quickHttp = http(QUICK_READ_TIMEOUT_MS, counting, token, tls);
    this.blockingHttp = http(BLOCKING_READ_TIMEOUT_MS, counting, token, tls);
    String host = endpoint.address().getScheme() + "://" + endpoint.address().getHost();
    this.quickRaw = new ConsulRawClient(host, endpoint.port(), quickHttp);
    this.quick = new ConsulClient(quickRaw);
    this.blocking = new ConsulClient(new ConsulRawClient(host, endpoint.port(), blockingHttp));
  }

  /**
   * Apache HttpClient over the JDK's TLS sockets from {@link ClientTls}: they check the server's
   * name themselves (against {@code CONSUL_TLS_SERVER_NAME} when set), so HttpClient's own
   * verifier, which knows only the address, is switched off. Shared with the Nomad client.
   */
  public static SSLConnectionSocketFactory tlsSockets(ClientTls tls) {
    return new SSLConnectionSocketFactory(tls.socketFactory(), NoopHostnameVerifier.INSTANCE);
  }

  private static CloseableHttpClient http(
      int readTimeoutMs,
      HttpRequestInterceptor counting,
      HttpRequestInterceptor token,
      Optional<SSLConnectionSocketFactory> tls) {
    HttpClientBuilder builder = HttpClientBuilder.create();
    tls.ifPresent(builder::setSSLSocketFactory);
    return builder
        .setDefaultRequestConfig(
            RequestConfig.custom()
                .setConnectTimeout(CONNECT_TIMEOUT_MS)
                .setConnectionRequestTimeout(CONNECT_TIMEOUT_MS)
                .setSocketTimeout(readTimeoutMs)
                .build())
        // Several long polls (spec watch, leader key) and ordinary calls run at once.
        .setMaxConnTotal(32)
        .setMaxConnPerRoute(32)
        .addInterceptorFirst(counting)
        .addInterceptorLast(token)
        .disableCookieManagement()
        // Retries belong to resilience4j (and the watch's own backoff), not to a second layer.
        .disableAutomaticRetries()
        .build();
  }

  /** {@code kv}, {@code session}, {@code status}... from {@code /v1/kv/...}. */
  static String endpointOf(String uri) {
    String path = URI.create(uri).getPath();
    String[] parts = path.split("/");
    return parts.length > 2 ? parts[2] : "other";
  }

  /** The client for calls that answer at once. */
  public ConsulClient quick() {
    return quick;
  }

  /**
   * The raw client behind {@link #quick()}, for the one call consul-api has no method for (a
   * check-and-set delete).
   */
  ConsulRawClient quickRaw() {
    return quickRaw;
  }

  /** The client for blocking queries. */
  public ConsulClient blocking() {
    return blocking;
  }

  @Override
  public void close() throws IOException {
    try {
      quickHttp.close();
    } finally {
      blockingHttp.close();
    }
  }
}
