package dev.reviewapps.controller.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.reviewapps.controller.reviewapp.testing.BareRepository;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLsRemoteBranchSourceTest {
  @TempDir Path dir;
  private BareRepository repository;

  @BeforeEach
  void repositoryWithTwoDeployBranches() throws Exception {
    repository = BareRepository.create(dir, "deploy-a", "deploy-New_Checkout/v2");
  }

  @Test
  void listsEveryBranchOfARealBareRepository() throws Exception {
    BranchSource source =
        new GitLsRemoteBranchSource(repository.path().toString(), Duration.ofSeconds(30));
    assertThat(source.branches())
        .containsExactlyInAnyOrder("main", "deploy-a", "deploy-New_Checkout/v2");
  }

  @Test
  void aDeletedBranchDisappearsFromTheNextListing() throws Exception {
    BranchSource source =
        new GitLsRemoteBranchSource("file://" + repository.path(), Duration.ofSeconds(30));
    repository.delete("deploy-a");
    assertThat(source.branches()).containsExactlyInAnyOrder("main", "deploy-New_Checkout/v2");
  }

  @Test
  void aMissingRepositoryIsAnErrorNotAnEmptyListing() {
    BranchSource source =
        new GitLsRemoteBranchSource(dir.resolve("nope.git").toString(), Duration.ofSeconds(30));
    assertThatThrownBy(source::branches)
        .isInstanceOf(BranchListingException.class)
        .hasMessageContaining("failed (exit");
  }

  @Test
  void credentialsInTheRemoteNeverReachTheMessage() {
    // Port 9 on loopback refuses at once; the point is what the error says.
    String remote = "http://ci-bot:s3cr3t-token@127.0.0.1:9/shop.git";
    BranchSource source = new GitLsRemoteBranchSource(remote, Duration.ofSeconds(30));
    assertThat(source.describe()).isEqualTo("http://***@127.0.0.1:9/shop.git");
    assertThatThrownBy(source::branches)
        .isInstanceOf(BranchListingException.class)
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("s3cr3t-token"));
  }

  @Test
  void unexpectedOutputIsRefused() {
    assertThatThrownBy(() -> GitLsRemoteBranchSource.parse("abc\trefs/tags/v1\n"))
        .isInstanceOf(BranchListingException.class);
  }
}
