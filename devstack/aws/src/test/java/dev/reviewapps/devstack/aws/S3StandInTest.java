package dev.reviewapps.devstack.aws;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.DeletedObject;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchBucketException;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

class S3StandInTest {
  private static AwsStandIn aws;
  private static S3Client s3;
  private static S3Client s3Chunked;

  @BeforeAll
  static void start() throws Exception {
    aws = AwsStandIn.start(AwsConfig.forTests());
    s3 = SdkClients.of(aws).withoutRetries().s3Plain();
    s3Chunked = SdkClients.of(aws).withoutRetries().s3();
  }

  @AfterAll
  static void stop() {
    s3.close();
    s3Chunked.close();
    aws.close();
  }

  private static String text(S3Client client, String bucket, String key) {
    return client.getObjectAsBytes(b -> b.bucket(bucket).key(key)).asString(StandardCharsets.UTF_8);
  }

  @Test
  void objectsArePutReadAndDescribed() {
    s3.createBucket(b -> b.bucket("assets"));
    s3.headBucket(b -> b.bucket("assets"));

    String etag =
        s3.putObject(
                b ->
                    b.bucket("assets")
                        .key("deploy-foo/app.css")
                        .contentType("text/css")
                        .metadata(Map.of("commit", "3f2a9c1e")),
                RequestBody.fromString("body{}"))
            .eTag();

    assertThat(text(s3, "assets", "deploy-foo/app.css")).isEqualTo("body{}");
    HeadObjectResponse head = s3.headObject(b -> b.bucket("assets").key("deploy-foo/app.css"));
    assertThat(head.contentLength()).isEqualTo(6);
    assertThat(head.contentType()).isEqualTo("text/css");
    assertThat(head.eTag()).isEqualTo(etag).matches("\"[0-9a-f]{32}\"");
    assertThat(head.metadata()).containsEntry("commit", "3f2a9c1e");
  }

  @Test
  void chunkedUploadsWithTrailingChecksumsAreDecoded() {
    s3Chunked.createBucket(b -> b.bucket("chunked"));
    byte[] big = new byte[200_000];
    for (int i = 0; i < big.length; i++) {
      big[i] = (byte) ('a' + i % 26);
    }

    s3Chunked.putObject(
        b -> b.bucket("chunked").key("status.json"), RequestBody.fromString("{\"v\":1}"));
    s3Chunked.putObject(b -> b.bucket("chunked").key("big.bin"), RequestBody.fromBytes(big));

    assertThat(text(s3Chunked, "chunked", "status.json")).isEqualTo("{\"v\":1}");
    assertThat(s3.getObjectAsBytes(b -> b.bucket("chunked").key("big.bin")).asByteArray())
        .isEqualTo(big);
  }

  @Test
  void missingKeysAndBucketsAnswerWithS3Errors() {
    s3.createBucket(b -> b.bucket("sparse"));

    assertThatThrownBy(() -> s3.getObject(b -> b.bucket("sparse").key("nope")))
        .isInstanceOfSatisfying(
            NoSuchKeyException.class,
            e -> {
              assertThat(e.statusCode()).isEqualTo(404);
              assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchKey");
              assertThat(e.requestId()).isNotBlank();
            });
    assertThatThrownBy(() -> s3.headObject(b -> b.bucket("sparse").key("nope")))
        .isInstanceOf(NoSuchKeyException.class);
    assertThatThrownBy(() -> s3.listObjectsV2(b -> b.bucket("no-such-bucket")))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(() -> s3.headBucket(b -> b.bucket("no-such-bucket")))
        .isInstanceOf(NoSuchBucketException.class);
    assertThatThrownBy(
            () ->
                s3.putObject(b -> b.bucket("no-such-bucket").key("k"), RequestBody.fromString("x")))
        .isInstanceOfSatisfying(
            S3Exception.class,
            e -> assertThat(e.awsErrorDetails().errorCode()).isEqualTo("NoSuchBucket"));
  }

  @Test
  void listingPagesThroughTwoAndAHalfThousandObjectsWithContinuationTokens() {
    s3.createBucket(b -> b.bucket("many"));
    // Uploaded from a few threads at once: the listing, not the uploads, is under test.
    IntStream.range(0, 2500)
        .parallel()
        .forEach(
            i ->
                s3.putObject(
                    b -> b.bucket("many").key(String.format("deploy-many/assets/%04d.js", i)),
                    RequestBody.fromString("x")));
    s3.putObject(b -> b.bucket("many").key("other/file"), RequestBody.fromString("y"));

    List<ListObjectsV2Response> pages = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("many").prefix("deploy-many/")).forEach(pages::add);

    assertThat(pages).hasSize(3);
    assertThat(pages.get(0).keyCount()).isEqualTo(1000);
    assertThat(pages.get(0).isTruncated()).isTrue();
    assertThat(pages.get(2).isTruncated()).isFalse();
    List<String> keys =
        pages.stream().flatMap(p -> p.contents().stream()).map(S3Object::key).toList();
    assertThat(keys).hasSize(2500).doesNotHaveDuplicates().isSorted();
    assertThat(keys.get(2499)).isEqualTo("deploy-many/assets/2499.js");
  }

  @Test
  void delimiterGroupsKeysIntoCommonPrefixesAcrossPages() {
    s3.createBucket(b -> b.bucket("tree"));
    for (String key : List.of("a/1", "a/2", "b/1", "c", "d/x/1", "d/y/1", "e", "f/1", "f/2", "g")) {
      s3.putObject(b -> b.bucket("tree").key(key), RequestBody.fromString(key));
    }

    List<String> prefixes = new ArrayList<>();
    List<String> keys = new ArrayList<>();
    s3.listObjectsV2Paginator(b -> b.bucket("tree").delimiter("/").maxKeys(2))
        .forEach(
            page -> {
              assertThat(page.keyCount()).isLessThanOrEqualTo(2);
              page.commonPrefixes().stream().map(CommonPrefix::prefix).forEach(prefixes::add);
              page.contents().stream().map(S3Object::key).forEach(keys::add);
            });

    assertThat(prefixes).containsExactly("a/", "b/", "d/", "f/");
    assertThat(keys).containsExactly("c", "e", "g");
    assertThat(s3.listObjectsV2(b -> b.bucket("tree").prefix("d/").delimiter("/")).commonPrefixes())
        .extracting(CommonPrefix::prefix)
        .containsExactly("d/x/", "d/y/");
  }

  @Test
  void deleteObjectsRemovesEveryNamedKey() {
    s3.createBucket(b -> b.bucket("cleanup"));
    for (String key : List.of("deploy-x/a", "deploy-x/b", "deploy-x/c", "keep")) {
      s3.putObject(b -> b.bucket("cleanup").key(key), RequestBody.fromString(key));
    }

    List<DeletedObject> deleted =
        s3Chunked
            .deleteObjects(
                b ->
                    b.bucket("cleanup")
                        .delete(
                            d ->
                                d.objects(
                                    ObjectIdentifier.builder().key("deploy-x/a").build(),
                                    ObjectIdentifier.builder().key("deploy-x/b").build(),
                                    ObjectIdentifier.builder().key("deploy-x/c").build())))
            .deleted();
    s3.deleteObject(b -> b.bucket("cleanup").key("never-existed"));

    assertThat(deleted)
        .extracting(DeletedObject::key)
        .containsExactly("deploy-x/a", "deploy-x/b", "deploy-x/c");
    assertThat(s3.listObjectsV2(b -> b.bucket("cleanup")).contents())
        .extracting(S3Object::key)
        .containsExactly("keep");
  }
}
