package dev.reviewapps.devstack.consul.acl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** Rule matching as Consul does it: exact before prefix, longest prefix wins, default deny. */
class AclRulesTest {
  private static final String RULES =
      """
      {"tokens": [
        {"SecretID": "app", "AccessorID": "acc-app", "Rules": {
          "key_prefix": {"": {"policy": "read"}, "review-apps/": {"policy": "write"},
                         "review-apps/leader": {"policy": "read"}},
          "key": {"review-apps/leader": {"policy": "deny"}}}},
        {"SecretID": "root", "Management": true}
      ]}
      """;

  private Authorizer token(String secret) throws Exception {
    return AclRules.parse(RULES).resolve(Optional.of(secret)).orElseThrow();
  }

  @Test
  void theLongestPrefixDecides() throws Exception {
    Authorizer app = token("app");

    assertThat(app.allows(Resource.KEY, "review-apps/specs/x", Access.WRITE)).isTrue();
    assertThat(app.allows(Resource.KEY, "review-apps/leader-x", Access.WRITE)).isFalse();
    assertThat(app.allows(Resource.KEY, "review-apps/leader-x", Access.READ)).isTrue();
    assertThat(app.allows(Resource.KEY, "other", Access.READ)).isTrue();
    assertThat(app.allows(Resource.KEY, "other", Access.WRITE)).isFalse();
  }

  @Test
  void anExactRuleBeatsEveryPrefix() throws Exception {
    assertThat(token("app").allows(Resource.KEY, "review-apps/leader", Access.READ)).isFalse();
  }

  @Test
  void aRecursiveDeleteNeedsWriteOnEverythingUnderThePrefix() throws Exception {
    Authorizer app = token("app");

    assertThat(app.allowsWritePrefix("review-apps/specs/")).isTrue();
    assertThat(app.allowsWritePrefix("review-apps/")).isFalse();
  }

  @Test
  void anonymousIsDeniedAndUnknownSecretsAreNotFound() throws Exception {
    AclRules rules = AclRules.parse(RULES);

    Authorizer anonymous = rules.resolve(Optional.empty()).orElseThrow();
    assertThat(anonymous.allows(Resource.KEY, "anything", Access.READ)).isFalse();
    assertThat(rules.resolve(Optional.of("who"))).isEmpty();
    assertThat(token("root").allows(Resource.SESSION, "node", Access.WRITE)).isTrue();
  }

  @Test
  void aDenialNamesTheAccessorNeverTheSecret() throws Exception {
    String denial = token("app").denial(Resource.KEY, Access.WRITE, "x");

    assertThat(denial)
        .isEqualTo(
            "Permission denied: token with AccessorID 'acc-app' lacks permission 'key:write' on \"x\"")
        .doesNotContain("\"app\"");
  }

  @Test
  void anUnknownRuleKindIsRefused() {
    assertThatThrownBy(
            () -> AclRules.parse("{\"tokens\":[{\"SecretID\":\"t\",\"Rules\":{\"keys\":{}}}]}"))
        .hasMessageContaining("unsupported rule kind 'keys'");
  }
}
