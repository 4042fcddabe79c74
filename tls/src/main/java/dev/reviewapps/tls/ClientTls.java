package dev.reviewapps.tls;

import java.io.IOException;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * How a client speaks TLS to Consul or Nomad, with the settings their own CLIs take ({@code
 * CONSUL_CACERT}, {@code CONSUL_CLIENT_CERT}, {@code CONSUL_CLIENT_KEY}, {@code
 * CONSUL_TLS_SERVER_NAME}, and the same for Nomad).
 *
 * <p>Verification is done by the JDK, not by the HTTP library: every socket asks for HTTPS endpoint
 * identification, and with a server name that name is sent as SNI, which is also the name the JDK
 * checks the certificate against. So a certificate for {@code server.dc1.consul} verifies while the
 * address is an IP, as with Consul's {@code tls_server_name}.
 *
 * @param caCert PEM file of the CA(s) to trust; empty trusts the JDK's default CAs
 * @param clientCert PEM certificate presented for mutual TLS; needs {@code clientKey}
 * @param clientKey PEM private key of {@code clientCert}
 * @param serverName the name the server's certificate must carry; empty: the address's host
 * @param verify false trusts any certificate and any name (logged as a warning by the caller)
 */
public record ClientTls(
    Optional<Path> caCert,
    Optional<Path> clientCert,
    Optional<Path> clientKey,
    Optional<String> serverName,
    boolean verify) {

  public ClientTls {
    Objects.requireNonNull(caCert, "caCert");
    Objects.requireNonNull(clientCert, "clientCert");
    Objects.requireNonNull(clientKey, "clientKey");
    Objects.requireNonNull(serverName, "serverName");
    if (clientCert.isPresent() != clientKey.isPresent()) {
      throw new TlsSetupException(
          "a client certificate and its key go together: give both or neither");
    }
    serverName.ifPresent(
        n -> {
          try {
            new SNIHostName(n);
          } catch (IllegalArgumentException e) {
            throw new TlsSetupException("server name must be a DNS name, got '" + n + "'");
          }
        });
  }

  /** Verification on, the JDK's CAs, no client certificate. */
  public static ClientTls defaults() {
    return new ClientTls(
        Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true);
  }

  /** The same settings with another server name. */
  public ClientTls withServerName(Optional<String> name) {
    return new ClientTls(caCert, clientCert, clientKey, name, verify);
  }

  /** The context: our CA (or the JDK's), our certificate for mutual TLS if given. */
  public SSLContext sslContext() {
    TrustManager[] trust =
        !verify
            ? new TrustManager[] {new TrustingEveryone()}
            : caCert.map(KeyMaterial::trusting).orElseGet(KeyMaterial::systemTrust);
    try {
      SSLContext context = SSLContext.getInstance("TLS");
      context.init(
          clientCert.map(c -> KeyMaterial.identity(c, clientKey.orElseThrow())).orElse(null),
          trust,
          new SecureRandom());
      return context;
    } catch (GeneralSecurityException e) {
      throw new TlsSetupException("cannot set up TLS: " + e.getMessage());
    }
  }

  /**
   * Sockets that check the server's name themselves (see the class comment); an HTTP library using
   * them needs no hostname verifier of its own.
   */
  public SSLSocketFactory socketFactory() {
    return new Configuring(sslContext().getSocketFactory(), this);
  }

  void configure(SSLSocket socket) {
    SSLParameters parameters = socket.getSSLParameters();
    if (verify) {
      parameters.setEndpointIdentificationAlgorithm("HTTPS");
    }
    serverName.ifPresent(n -> parameters.setServerNames(List.of(new SNIHostName(n))));
    socket.setSSLParameters(parameters);
  }

  /** {@code *_HTTP_SSL_VERIFY=false}: the server is not checked at all. */
  private static final class TrustingEveryone implements X509TrustManager {
    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) {}

    @Override
    public X509Certificate[] getAcceptedIssuers() {
      return new X509Certificate[0];
    }
  }

  private static final class Configuring extends SSLSocketFactory {
    private final SSLSocketFactory delegate;
    private final ClientTls tls;

    Configuring(SSLSocketFactory delegate, ClientTls tls) {
      this.delegate = delegate;
      this.tls = tls;
    }

    private Socket configured(Socket socket) {
      if (socket instanceof SSLSocket ssl) {
        tls.configure(ssl);
      }
      return socket;
    }

    @Override
    public String[] getDefaultCipherSuites() {
      return delegate.getDefaultCipherSuites();
    }

    @Override
    public String[] getSupportedCipherSuites() {
      return delegate.getSupportedCipherSuites();
    }

    @Override
    public Socket createSocket() throws IOException {
      return configured(delegate.createSocket());
    }

    @Override
    public Socket createSocket(Socket s, String host, int port, boolean autoClose)
        throws IOException {
      return configured(delegate.createSocket(s, host, port, autoClose));
    }

    @Override
    public Socket createSocket(String host, int port) throws IOException {
      return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort)
        throws IOException {
      return configured(delegate.createSocket(host, port, localHost, localPort));
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      return configured(delegate.createSocket(host, port));
    }

    @Override
    public Socket createSocket(
        InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      return configured(delegate.createSocket(address, port, localAddress, localPort));
    }
  }
}
