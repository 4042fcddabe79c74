package dev.reviewapps.devstack.consul.contract;

import dev.reviewapps.devstack.consul.ConsulConfig;
import dev.reviewapps.devstack.consul.ConsulStandIn;
import dev.reviewapps.devstack.consul.acl.AclRules;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Resolves a {@link ConsulTarget} parameter. Without {@code CONSUL_HTTP_ADDR} it starts one
 * stand-in for the whole run, with ACLs on (default deny) and a 1 s minimum session TTL; with it,
 * the tests run against that Consul using {@code CONSUL_HTTP_TOKEN}, and when that Consul enforces
 * ACLs the extension creates the two scoped tokens the ACL tests need.
 */
public final class ConsulTargetExtension implements ParameterResolver {
  private static final String MANAGEMENT = "contract-management";
  private static final String READ = "contract-read";
  private static final String WRITE = "contract-write";

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == ConsulTarget.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(ConsulTargetExtension.class))
        .getOrComputeIfAbsent("target", k -> open(), Opened.class)
        .target();
  }

  /** The target, and the stand-in to stop at the end of the run if there is one. */
  private record Opened(ConsulTarget target, Optional<ConsulStandIn> standIn)
      implements ExtensionContext.Store.CloseableResource {
    @Override
    public void close() {
      standIn.ifPresent(ConsulStandIn::close);
    }
  }

  private static Opened open() {
    String addr = System.getenv("CONSUL_HTTP_ADDR");
    try {
      return addr == null || addr.isBlank() ? standIn() : real(addr);
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException("cannot open the Consul target", e);
    }
  }

  private static Opened standIn() throws IOException {
    String rules =
        """
        {"default_policy": "deny",
         "tokens": [
           {"SecretID": "%s", "Management": true},
           {"SecretID": "%s", "Rules": {"key_prefix": {"%s": {"policy": "read"}}}},
           {"SecretID": "%s", "Rules": {"key_prefix": {"%s": {"policy": "write"}}}}
         ]}
        """
            .formatted(MANAGEMENT, READ, ConsulTarget.ACL_PREFIX, WRITE, ConsulTarget.ACL_PREFIX);
    ConsulStandIn consul =
        ConsulStandIn.start(
            ConsulConfig.defaults()
                .withAclRules(AclRules.parse(rules))
                .withSessionTtlMin(Duration.ofSeconds(1)));
    ConsulTarget target =
        new ConsulTarget(
            consul.baseUrl(),
            Optional.of(MANAGEMENT),
            true,
            Duration.ofSeconds(1),
            Optional.of(READ),
            Optional.of(WRITE));
    return new Opened(target, Optional.of(consul));
  }

  private static Opened real(String addr) throws IOException, InterruptedException {
    String baseUrl = addr.startsWith("http") ? addr : "http://" + addr;
    Optional<String> token =
        Optional.ofNullable(System.getenv("CONSUL_HTTP_TOKEN")).filter(t -> !t.isBlank());
    HttpClient http = HttpClient.newHttpClient();
    HttpRequest.Builder probe = HttpRequest.newBuilder(URI.create(baseUrl + "/v1/acl/token/self"));
    token.ifPresent(t -> probe.header("X-Consul-Token", t));
    int status = http.send(probe.build(), HttpResponse.BodyHandlers.ofString()).statusCode();
    // 401 means "ACL support disabled".
    boolean acls = status != 401;
    Optional<String> read = Optional.empty();
    Optional<String> write = Optional.empty();
    if (acls) {
      read = Optional.of(createToken(http, baseUrl, token, "read"));
      write = Optional.of(createToken(http, baseUrl, token, "write"));
    }
    ConsulTarget target =
        new ConsulTarget(baseUrl, token, false, Duration.ofSeconds(10), read, write);
    return new Opened(target, Optional.empty());
  }

  private static String createToken(
      HttpClient http, String baseUrl, Optional<String> token, String policy)
      throws IOException, InterruptedException {
    String name = "contract-" + policy + "-" + UUID.randomUUID();
    String rules =
        "key_prefix \\\"" + ConsulTarget.ACL_PREFIX + "\\\" { policy = \\\"" + policy + "\\\" }";
    String policyJson =
        send(
            http,
            baseUrl,
            token,
            "/v1/acl/policy",
            "{\"Name\":\"" + name + "\",\"Rules\":\"" + rules + "\"}");
    String policyId = RawConsul.JSON.readTree(policyJson).get("ID").asText();
    String tokenJson =
        send(
            http,
            baseUrl,
            token,
            "/v1/acl/token",
            "{\"Description\":\"" + name + "\",\"Policies\":[{\"ID\":\"" + policyId + "\"}]}");
    return RawConsul.JSON.readTree(tokenJson).get("SecretID").asText();
  }

  private static String send(
      HttpClient http, String baseUrl, Optional<String> token, String path, String body)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(baseUrl + path))
            .PUT(HttpRequest.BodyPublishers.ofString(body));
    token.ifPresent(t -> request.header("X-Consul-Token", t));
    HttpResponse<String> response =
        http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    if (response.statusCode() != 200) {
      throw new IOException("PUT " + path + " answered " + response.statusCode());
    }
    return response.body();
  }
}
