package dev.reviewapps.reviewctl;

import static org.assertj.core.api.Assertions.assertThat;

import dev.reviewapps.devstack.aws.AwsConfig;
import dev.reviewapps.devstack.aws.AwsStandIn;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.S3Object;

class AssetsPushTest {
  private static AwsStandIn aws;
  private static S3Client s3;
  @TempDir Path dir;

  @BeforeAll
  static void start() throws IOException {
    aws = AwsStandIn.start(AwsConfig.forTests());
    s3 = TestS3.client(aws);
    s3.createBucket(r -> r.bucket("shop-assets"));
  }

  @AfterAll
  static void stop() {
    s3.close();
    aws.close();
  }

  /** No Consul needed; AWS_ENDPOINT_URL as the AWS CLI and SDKs read it. */
  private Cli cli() {
    return new Cli(Map.of("AWS_ENDPOINT_URL", aws.endpoint().toString()));
  }

  @Test
  void pushPutsEveryFileUnderTheAppsPrefixWithItsContentType() throws IOException {
    Files.createDirectories(dir.resolve("public/js"));
    Files.writeString(dir.resolve("public/app.css"), "body { color: red }");
    Files.writeString(dir.resolve("public/js/app.js"), "console.log('hi')");
    Files.write(dir.resolve("public/logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});

    Cli.Run run =
        cli()
            .run(
                "assets",
                "push",
                "deploy-shop",
                dir.resolve("public").toString(),
                "--bucket",
                "shop-assets");

    assertThat(run.err()).isEmpty();
    assertThat(run.exitCode()).isZero();
    assertThat(run.out())
        .isEqualTo("uploaded 3 files (40 bytes) to s3://shop-assets/assets/deploy-shop/\n");
    assertThat(
            s3.listObjectsV2(r -> r.bucket("shop-assets").prefix("assets/deploy-shop/")).contents())
        .extracting(S3Object::key)
        .containsExactly(
            "assets/deploy-shop/app.css",
            "assets/deploy-shop/js/app.js",
            "assets/deploy-shop/logo.png");
    assertThat(
            s3.getObjectAsBytes(r -> r.bucket("shop-assets").key("assets/deploy-shop/js/app.js"))
                .asUtf8String())
        .isEqualTo("console.log('hi')");
    assertThat(
            s3.headObject(r -> r.bucket("shop-assets").key("assets/deploy-shop/app.css"))
                .contentType())
        .isEqualTo("text/css");
    assertThat(
            s3.headObject(r -> r.bucket("shop-assets").key("assets/deploy-shop/logo.png"))
                .contentType())
        .isEqualTo("image/png");
  }

  @Test
  void linksThatLeaveTheDirectoryAreSkippedAndNamed() throws IOException {
    Path secret = Files.writeString(dir.resolve("credentials"), "aws_secret_access_key=abc");
    Path outsideDir = Files.createDirectories(dir.resolve("outside"));
    Files.writeString(outsideDir.resolve("private.txt"), "private");
    Path assets = Files.createDirectories(dir.resolve("public"));
    Files.writeString(assets.resolve("app.css"), "body{}");
    Files.createSymbolicLink(assets.resolve("leak.txt"), secret);
    Files.createSymbolicLink(assets.resolve("passwd"), Path.of("/etc/passwd"));
    Files.createSymbolicLink(assets.resolve("dir-link"), outsideDir);
    Files.createSymbolicLink(assets.resolve("inside.css"), assets.resolve("app.css"));

    Cli.Run run =
        cli().run("assets", "push", "deploy-links", assets.toString(), "--bucket", "shop-assets");

    assertThat(run.exitCode()).isZero();
    assertThat(run.err())
        .hasLineCount(1)
        .contains("skipped 2 links pointing outside")
        .contains("leak.txt")
        .contains("passwd");
    assertThat(
            s3.listObjectsV2(r -> r.bucket("shop-assets").prefix("assets/deploy-links/"))
                .contents())
        .extracting(S3Object::key)
        .containsExactly("assets/deploy-links/app.css", "assets/deploy-links/inside.css");
  }

  @Test
  void theEndpointFlagAndAnotherPrefixWork() throws IOException {
    Files.writeString(dir.resolve("a.txt"), "a");

    Cli.Run run =
        new Cli(Map.of("REVIEW_APPS_ASSETS_BUCKET", "shop-assets"))
            .run(
                "assets",
                "push",
                "deploy-x",
                dir.toString(),
                "--s3-endpoint",
                aws.endpoint().toString(),
                "--assets-prefix",
                "static/");

    assertThat(run.exitCode()).isZero();
    assertThat(s3.listObjectsV2(r -> r.bucket("shop-assets").prefix("static/deploy-x/")).contents())
        .extracting(S3Object::key)
        .containsExactly("static/deploy-x/a.txt");
  }

  @Test
  void aMissingBucketIsOneLine() throws IOException {
    Files.writeString(dir.resolve("a.txt"), "a");

    Cli.Run run =
        cli().run("assets", "push", "deploy-x", dir.toString(), "--bucket", "no-such-bucket");

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err()).hasLineCount(1).startsWith("reviewctl: AWS: ").contains("bucket");
  }

  @Test
  void aDirectoryThatIsNotThereIsOneLine() {
    Cli.Run run =
        cli()
            .run(
                "assets",
                "push",
                "deploy-x",
                dir.resolve("nope").toString(),
                "--bucket",
                "shop-assets");

    assertThat(run.exitCode()).isEqualTo(ExitCode.ERROR);
    assertThat(run.err())
        .isEqualTo(
            "reviewctl: assets push deploy-x: " + dir.resolve("nope") + " is not a directory\n");
  }
}
