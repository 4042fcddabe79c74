package dev.reviewapps.model.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostTemplateTest {

  @Test
  void theNameTakesThePlaceOfThePlaceholder() {
    HostTemplate template = new HostTemplate("{name}.review.example.com");
    assertThat(template.host(new AppName("deploy-new-checkout")))
        .isEqualTo("deploy-new-checkout.review.example.com");
    assertThat(new HostTemplate("apps.{name}.example.com").host(new AppName("x")))
        .isEqualTo("apps.x.example.com");
  }

  @Test
  void hostsAreLowerCaseWhateverTheTemplateCaseIs() {
    assertThat(new HostTemplate("{name}.Review.Example.COM").host(new AppName("a")))
        .isEqualTo("a.review.example.com");
  }

  @Test
  void theLongestNameStillGivesAValidHost() {
    HostTemplate template = new HostTemplate("{name}.review.example.com");
    String host = template.host(AppName.fromBranch("deploy-" + "x".repeat(200)));
    assertThat(host.split("\\.")[0]).hasSize(AppName.MAX_LENGTH);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "review.example.com",
        "{name}.{name}.example.com",
        "pr-{name}.example.com",
        "{name}..example.com",
        "{name}.exa_mple.com",
        "{name}.-example.com",
        "{name}.example.com.",
        "{ name }.example.com"
      })
  void aTemplateThatCouldGiveABadHostIsRefusedAtOnce(String template) {
    assertThatThrownBy(() -> new HostTemplate(template))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void aTemplateThatMakesHostsOver253CharactersIsRefused() {
    // 192 characters of domain: with a 60-character name and its dot, 253 exactly.
    String longDomain = ("a".repeat(61) + ".").repeat(3) + "abcdef";
    assertThat(new HostTemplate("{name}." + longDomain).host(new AppName("a".repeat(60))))
        .hasSize(253);
    assertThatThrownBy(() -> new HostTemplate("{name}.x" + longDomain))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("253");
  }
}
