package dev.reviewapps.model.naming;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class AppNameTest {

  @Test
  void aBranchThatIsAlreadyADnsLabelIsUsedAsItIs() {
    assertThat(AppName.fromBranch("deploy-new-checkout").value()).isEqualTo("deploy-new-checkout");
    assertThat(AppName.fromBranch("deploy-v2").value()).isEqualTo("deploy-v2");
  }

  @Test
  void aLossyCleanUpKeepsTheReadableNameAndAddsAStableHashOfTheBranch() {
    // The suffix is the first 4 bytes of SHA-256("deploy-New_Checkout/v2"); pinned here because
    // names are persistent keys: changing the function would orphan every running app.
    assertThat(AppName.fromBranch("deploy-New_Checkout/v2").value())
        .isEqualTo("deploy-new-checkout-v2-9310d0a8");
  }

  @Test
  void branchesThatCleanUpToTheSameTextGetDifferentNames() {
    AppName underscore = AppName.fromBranch("deploy-a_b");
    AppName dash = AppName.fromBranch("deploy-a-b");
    AppName upper = AppName.fromBranch("deploy-A-b");
    AppName doubled = AppName.fromBranch("deploy-a--b");
    assertThat(dash.value()).isEqualTo("deploy-a-b");
    assertThat(underscore.value()).startsWith("deploy-a-b-").hasSize("deploy-a-b-".length() + 8);
    assertThat(java.util.Set.of(underscore, dash, upper, doubled)).hasSize(4);
  }

  @Test
  void aLabelThatLooksSuffixedIsSuffixedItselfSoNoUnchangedNameCanCollideWithASuffixedOne() {
    String lossy = AppName.fromBranch("deploy-A").value(); // deploy-a-<hash>
    assertThat(AppName.fromBranch(lossy).value()).isNotEqualTo(lossy);
    assertThat(AppName.fromBranch("deploy-20261126").value()).startsWith("deploy-20261126-");
  }

  @Test
  void longBranchesAreCutTo60CharactersAndStillTellApart() {
    String stem = "deploy-" + "very-long-feature-name-".repeat(4);
    AppName one = AppName.fromBranch(stem + "part-one");
    AppName two = AppName.fromBranch(stem + "part-two");
    assertThat(one.value()).hasSize(60).startsWith("deploy-very-long-feature-name-");
    assertThat(two.value()).hasSize(60);
    assertThat(one).isNotEqualTo(two);
  }

  @Test
  void aCutNeverLeavesADashBeforeTheSuffix() {
    // 50 characters then a dash at the cut position.
    AppName name = AppName.fromBranch("a".repeat(50) + "-" + "b".repeat(20));
    assertThat(name.value()).doesNotContain("--").matches("a{50}-[0-9a-f]{8}");
  }

  @Test
  void aBranchWithNothingUsableStillGetsAName() {
    assertThat(AppName.fromBranch("___").value()).matches("branch-[0-9a-f]{8}");
    assertThat(AppName.fromBranch("").value()).matches("branch-[0-9a-f]{8}");
    assertThat(AppName.fromBranch("///")).isNotEqualTo(AppName.fromBranch("___"));
  }

  @Test
  void namesAreCheckedWhenBuiltOrParsed() {
    assertThat(AppName.parse("deploy-x")).contains(new AppName("deploy-x"));
    assertThat(AppName.parse("Deploy")).isEmpty();
    assertThat(AppName.parse("a".repeat(60))).isPresent();
    assertThat(AppName.parse("a".repeat(61))).isEmpty();
    assertThat(AppName.parse("shop--api")).isEmpty();
    assertThatThrownBy(() -> new AppName("-x")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void manyGeneratedBranchNamesNeverShareAName() {
    // An alphabet full of characters that clean up to the same thing (case, '_', '/', '.', '-',
    // non-ASCII), so that many branches share a cleaned-up text, plus long ones that get cut.
    String alphabet = "aAbB01-_/.-éK";
    Random random = new Random(2026_11_26L);
    Map<AppName, String> seen = new HashMap<>();
    int branches = 0;
    int longest = 0;
    while (branches < 100_000) {
      int length = random.nextInt(10) == 0 ? 55 + random.nextInt(30) : 1 + random.nextInt(10);
      StringBuilder branch = new StringBuilder("deploy-");
      for (int i = 0; i < length; i++) {
        branch.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      String text = branch.toString();
      AppName name = AppName.fromBranch(text);
      String earlier = seen.putIfAbsent(name, text);
      if (earlier == null) {
        branches++;
      } else {
        assertThat(earlier).as("branches sharing the name %s", name).isEqualTo(text);
      }
      longest = Math.max(longest, name.value().length());
    }
    assertThat(seen).hasSize(100_000);
    assertThat(longest).isEqualTo(60);
  }
}
