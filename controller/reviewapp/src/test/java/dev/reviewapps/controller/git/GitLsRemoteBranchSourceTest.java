package dev.reviewapps.controller.git;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GitLsRemoteBranchSourceTest {
  @TempDir Path dir;
  private Path bare;
  private Path work;

  @BeforeEach
  void repositoryWithTwoDeployBranches() throws Exception {
    bare = dir.resolve("shop.git");
    work = dir.resolve("work");
    git(dir, "init", "--quiet", "--bare", bare.toString());
    git(dir, "init", "--quiet", "-b", "main", work.toString());
    Files.writeString(work.resolve("README"), "shop\n");
    git(work, "add", "README");
    git(work, "-c", "user.name=ci", "-c", "user.email=ci@example.com", "commit", "-qm", "first");
    git(work, "branch", "deploy-a");
    git(work, "branch", "deploy-New_Checkout/v2");
    git(work, "push", "--quiet", bare.toString(), "main", "deploy-a", "deploy-New_Checkout/v2");
  }

  @Test
  void listsEveryBranchOfARealBareRepository() throws Exception {
    BranchSource source = new GitLsRemoteBranchSource(bare.toString(), Duration.ofSeconds(30));
    assertThat(source.branches())
        .containsExactlyInAnyOrder("main", "deploy-a", "deploy-New_Checkout/v2");
  }

  @Test
  void aDeletedBranchDisappearsFromTheNextListing() throws Exception {
    BranchSource source = new GitLsRemoteBranchSource("file://" + bare, Duration.ofSeconds(30));
    git(work, "push", "--quiet", bare.toString(), "--delete", "deploy-a");
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

  private static void git(Path cwd, String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("git"));
    command.addAll(List.of(args));
    Process process =
        new ProcessBuilder(command).directory(cwd.toFile()).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (process.waitFor() != 0) {
      throw new IllegalStateException(String.join(" ", command) + " failed: " + output);
    }
  }
}
