package dev.reviewapps.devstack.http;

import dev.reviewapps.tls.ServerTls;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.UnaryOperator;
import org.eclipse.jetty.http.HttpField;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.Fields;
import org.eclipse.jetty.util.URIUtil;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A Jetty server on loopback (or a given address) that dispatches to {@link Routes}. Handlers
 * answer with futures, so a parked blocking query costs a future, not a thread.
 *
 * <p>Every reply passes through an optional decorator, which stand-ins use for headers that every
 * answer of theirs carries ({@code X-Consul-KnownLeader}, {@code X-Nomad-Index}, …).
 */
public final class StandInServer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StandInServer.class);

  private final Server server;
  private final ServerConnector connector;
  private final String name;
  private final boolean tls;

  private StandInServer(String name, Server server, ServerConnector connector, boolean tls) {
    this.name = name;
    this.server = server;
    this.connector = connector;
    this.tls = tls;
  }

  /**
   * Starts a plain-HTTP server; see {@link #start(String, String, int, Routes, UnaryOperator,
   * Optional)}.
   */
  public static StandInServer start(
      String name, String host, int port, Routes routes, UnaryOperator<Reply> decorator)
      throws IOException {
    return start(name, host, port, routes, decorator, Optional.empty());
  }

  /**
   * Starts a server.
   *
   * @param name shown in logs and thread names, e.g. {@code "consul"}
   * @param host the address to bind, normally {@code 127.0.0.1}
   * @param port the port, or 0 for a free one
   * @param routes the routes to serve
   * @param decorator applied to every reply, including errors
   * @param tls when present, the server speaks only HTTPS, as an agent with {@code cert_file} and
   *     {@code key_file}; with a client CA it also requires client certificates ({@code
   *     verify_incoming})
   */
  public static StandInServer start(
      String name,
      String host,
      int port,
      Routes routes,
      UnaryOperator<Reply> decorator,
      Optional<ServerTls> tls)
      throws IOException {
    QueuedThreadPool threads = new QueuedThreadPool(64, 4);
    threads.setName("devstack-" + name);
    Server server = new Server(threads);
    HttpConfiguration config = new HttpConfiguration();
    config.setSendServerVersion(false);
    config.setSendDateHeader(true);
    // Consul keys may hold encoded slashes and dots; the real servers accept them.
    config.setUriCompliance(UriCompliance.UNSAFE);
    // Header values must reach handlers exactly as sent: SigV4 signs them, and Jetty's header
    // cache would otherwise hand back "charset=utf-8" for a signed "charset=UTF-8".
    config.setHeaderCacheCaseSensitive(true);
    // Jetty's per-connection header cache costs ~100 KB for every keep-alive connection from its
    // second request on; 2,000 long-polling watchers made that 200 MB of heap.
    config.setHeaderCacheSize(0);
    if (tls.isPresent()) {
      // Consul and Nomad (Go's net/http) do not compare the Host header with the certificate;
      // Jetty would answer 400 when a client verifies by CONSUL_TLS_SERVER_NAME.
      SecureRequestCustomizer secure = new SecureRequestCustomizer();
      secure.setSniHostCheck(false);
      config.addCustomizer(secure);
    }
    HttpConnectionFactory http = new HttpConnectionFactory(config);
    ServerConnector connector =
        tls.isEmpty()
            ? new ServerConnector(server, http)
            : new ServerConnector(
                server, new SslConnectionFactory(sslFactory(tls.get()), "http/1.1"), http);
    connector.setHost(host);
    connector.setPort(port);
    // Blocking queries last up to ten minutes plus jitter; the connection must outlive them.
    connector.setIdleTimeout(15 * 60 * 1000L);
    server.addConnector(connector);
    server.setHandler(new Dispatch(routes, decorator));
    server.setStopTimeout(2000);
    try {
      server.start();
    } catch (Exception e) {
      throw new IOException("cannot start " + name + " on " + host + ":" + port, e);
    }
    log.info(
        "{} listening on {}://{}:{}",
        name,
        tls.isPresent() ? "https" : "http",
        host,
        connector.getLocalPort());
    return new StandInServer(name, server, connector, tls.isPresent());
  }

  private static SslContextFactory.Server sslFactory(ServerTls tls) {
    SslContextFactory.Server factory = new SslContextFactory.Server();
    factory.setSslContext(tls.sslContext());
    factory.setNeedClientAuth(tls.clientCa().isPresent());
    return factory;
  }

  /** The port the server listens on (useful after starting on port 0). */
  public int port() {
    return connector.getLocalPort();
  }

  /** {@code http://host:port} of this server, or {@code https://} when it serves TLS. */
  public String baseUrl() {
    String host = connector.getHost() == null ? "127.0.0.1" : connector.getHost();
    if (host.contains(":")) {
      host = "[" + host + "]";
    }
    return (tls ? "https://" : "http://") + host + ":" + port();
  }

  /** The address clients use. */
  public InetSocketAddress address() {
    return new InetSocketAddress(connector.getHost(), port());
  }

  @Override
  public void close() {
    try {
      server.stop();
    } catch (Exception e) {
      log.warn("{} did not stop cleanly: {}", name, e.toString());
    }
  }

  private static final class Dispatch extends org.eclipse.jetty.server.Handler.Abstract {
    private final Routes routes;
    private final UnaryOperator<Reply> decorator;

    Dispatch(Routes routes, UnaryOperator<Reply> decorator) {
      this.routes = routes;
      this.decorator = decorator;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
      Exchange exchange = toExchange(request);
      CompletableFuture<Reply> reply;
      try {
        Routes.Match match = routes.match(exchange.method(), exchange.path());
        if (match instanceof Routes.Match.Found found) {
          reply = found.handler().handle(exchange.withPathParams(found.params()));
        } else if (match instanceof Routes.Match.WrongMethod) {
          reply =
              CompletableFuture.completedFuture(
                  Reply.text(405, "method " + exchange.method() + " not allowed"));
        } else {
          reply = CompletableFuture.completedFuture(Reply.text(404, "404 page not found"));
        }
      } catch (Throwable t) {
        reply = CompletableFuture.failedFuture(t);
      }
      reply.whenComplete(
          (value, failure) -> write(response, callback, decorator.apply(orError(value, failure))));
      return true;
    }

    private static Reply orError(Reply value, Throwable failure) {
      if (failure == null) {
        return value;
      }
      Throwable cause =
          failure instanceof CompletionException && failure.getCause() != null
              ? failure.getCause()
              : failure;
      if (cause instanceof HttpError error) {
        return error.reply();
      }
      log.warn("handler failed", cause);
      return Reply.text(500, "internal error: " + cause);
    }

    private static void write(Response response, Callback callback, Reply reply) {
      response.setStatus(reply.status());
      reply.headers().forEach((k, v) -> response.getHeaders().put(k, v));
      // A reply to HEAD may declare the length of the body it leaves out (S3's HeadObject).
      boolean declared =
          reply.headers().keySet().stream().anyMatch("Content-Length"::equalsIgnoreCase);
      if (!declared) {
        response.getHeaders().put("Content-Length", Long.toString(reply.body().length));
      }
      response.write(true, ByteBuffer.wrap(reply.body()), callback);
    }

    private static Exchange toExchange(Request request) throws IOException {
      String rawPath = request.getHttpURI().getPath();
      String path = URIUtil.decodePath(rawPath == null ? "/" : rawPath);
      Map<String, List<String>> query = new LinkedHashMap<>();
      String rawQuery = request.getHttpURI().getQuery();
      if (rawQuery != null) {
        Fields fields = new Fields(true);
        org.eclipse.jetty.util.UrlEncoded.decodeUtf8To(rawQuery, 0, rawQuery.length(), fields);
        for (Fields.Field field : fields) {
          query.put(field.getName(), Collections.unmodifiableList(field.getValues()));
        }
      }
      Map<String, List<String>> headers = new LinkedHashMap<>();
      for (HttpField field : request.getHeaders()) {
        headers
            .computeIfAbsent(field.getName().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
            .add(field.getValue());
      }
      ByteBuffer buffer = Content.Source.asByteBuffer(request);
      byte[] body = new byte[buffer.remaining()];
      buffer.get(body);
      return new Exchange(
          request.getMethod().toUpperCase(Locale.ROOT),
          path,
          rawPath,
          query,
          headers,
          body,
          Map.of(),
          Request.getRemoteAddr(request));
    }
  }
}
