package dev.reviewapps.devstack.consul.acl;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * The ACL configuration of a stand-in, read from a JSON file:
 *
 * <pre>{@code
 * {
 *   "default_policy": "deny",
 *   "tokens": [
 *     {"SecretID": "s3cr3t", "Description": "controller",
 *      "Rules": {"key_prefix": {"review-apps/": {"policy": "write"}},
 *                "session_prefix": {"": {"policy": "write"}}}},
 *     {"SecretID": "root", "Management": true}
 *   ],
 *   "anonymous": {"key_prefix": {"review-apps/routes/": {"policy": "read"}}}
 * }
 * }</pre>
 *
 * A request without a token is the anonymous token; an unknown secret is refused as Consul refuses
 * it ({@code ACL not found}).
 */
public final class AclRules {
  private record Token(String accessorId, String description, Rules rules, boolean management) {}

  private final Map<String, Token> bySecret;
  private final Rules anonymous;
  private final Access fallback;

  private AclRules(Map<String, Token> bySecret, Rules anonymous, Access fallback) {
    this.bySecret = Map.copyOf(bySecret);
    this.anonymous = anonymous;
    this.fallback = fallback;
  }

  /** Reads a rules file. */
  public static AclRules load(Path file) throws IOException {
    return parse(Files.readString(file, StandardCharsets.UTF_8));
  }

  /** Parses rules from JSON text (see the class comment for the shape). */
  public static AclRules parse(String json) throws IOException {
    ObjectMapper mapper = new ObjectMapper();
    JsonNode root = mapper.readTree(json);
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException("ACL file must hold a JSON object");
    }
    Access fallback = Access.parse(root.path("default_policy").asText("deny"));
    if (fallback != Access.DENY && fallback != Access.WRITE) {
      // Consul's acl.default_policy is allow or deny; "allow" grants write.
      fallback = Access.WRITE;
    }
    Map<String, Token> tokens = new HashMap<>();
    for (JsonNode token : root.path("tokens")) {
      String secret = token.path("SecretID").asText("");
      if (secret.isEmpty()) {
        throw new IllegalArgumentException("every token needs a SecretID");
      }
      String accessor =
          token.hasNonNull("AccessorID")
              ? token.get("AccessorID").asText()
              : UUID.nameUUIDFromBytes(("accessor:" + secret).getBytes(StandardCharsets.UTF_8))
                  .toString();
      JsonNode rules = token.get("Rules");
      if (rules != null && rules.isTextual()) {
        // Consul's API carries rules as a string of JSON; accept that form too.
        rules = mapper.readTree(rules.asText());
      }
      tokens.put(
          secret,
          new Token(
              accessor,
              token.path("Description").asText(""),
              Rules.parse(rules),
              token.path("Management").asBoolean(false)));
    }
    return new AclRules(tokens, Rules.parse(root.get("anonymous")), fallback);
  }

  /**
   * The authorizer for a request's token; empty for a secret that names no token (Consul answers
   * {@code 403 ACL not found}).
   */
  public Optional<Authorizer> resolve(Optional<String> secret) {
    if (secret.isEmpty() || secret.get().isEmpty() || secret.get().equals("anonymous")) {
      return Optional.of(new Authorizer(Authorizer.ANONYMOUS_ACCESSOR, anonymous, false, fallback));
    }
    Token token = bySecret.get(secret.get());
    if (token == null) {
      return Optional.empty();
    }
    return Optional.of(
        new Authorizer(token.accessorId(), token.rules(), token.management(), fallback));
  }

  /** The description and accessor of a known token, for {@code /v1/acl/token/self}. */
  public Optional<TokenInfo> describe(String secret) {
    Token token = bySecret.get(secret);
    return token == null
        ? Optional.empty()
        : Optional.of(new TokenInfo(token.accessorId(), token.description(), token.management()));
  }

  /** The default policy's name, for the {@code X-Consul-Default-ACL-Policy} header. */
  public String defaultPolicy() {
    return fallback == Access.DENY ? "deny" : "allow";
  }

  /** Public facts about a token (never its secret). */
  public record TokenInfo(String accessorId, String description, boolean management) {}
}
