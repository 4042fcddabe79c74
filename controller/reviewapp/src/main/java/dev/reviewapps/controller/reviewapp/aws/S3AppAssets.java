package dev.reviewapps.controller.reviewapp.aws;

import dev.reviewapps.model.naming.ResourceNames;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * {@link AppAssets} in S3: the app's objects are everything under {@code <prefix><name>/} (for
 * example {@code assets/deploy-x/}) in one bucket. Deleting lists a page of up to 1,000 keys and
 * deletes them in one DeleteObjects call, until nothing is left.
 */
public final class S3AppAssets implements AppAssets {

  private final S3Client s3;
  private final String bucket;
  private final String prefix;

  /**
   * @param prefix what comes before the app name, e.g. {@code assets/}
   */
  public S3AppAssets(S3Client s3, String bucket, String prefix) {
    this.s3 = s3;
    this.bucket = bucket;
    this.prefix = prefix;
  }

  /**
   * The key prefix of an app; the trailing slash keeps {@code deploy-x} from matching {@code
   * deploy-x2}.
   */
  public String prefixOf(String app) {
    return ResourceNames.of(app).assetsFolder(prefix);
  }

  @Override
  public int deleteAll(String app) {
    int deleted = 0;
    while (true) {
      ListObjectsV2Response page =
          s3.listObjectsV2(r -> r.bucket(bucket).prefix(prefixOf(app)).maxKeys(1000));
      List<ObjectIdentifier> keys =
          page.contents().stream()
              .map(S3Object::key)
              .map(k -> ObjectIdentifier.builder().key(k).build())
              .toList();
      if (keys.isEmpty()) {
        return deleted;
      }
      s3.deleteObjects(r -> r.bucket(bucket).delete(d -> d.objects(keys).quiet(true)));
      deleted += keys.size();
    }
  }

  @Override
  public Set<String> apps() {
    Set<String> apps = new TreeSet<>();
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              r -> r.bucket(bucket).prefix(prefix).delimiter("/").continuationToken(continuation));
      page.commonPrefixes().stream()
          .map(CommonPrefix::prefix)
          .map(p -> p.substring(prefix.length(), p.length() - 1))
          .filter(a -> !a.isEmpty())
          .forEach(apps::add);
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return apps;
  }

  @Override
  public int count(String app) {
    int count = 0;
    String token = null;
    do {
      String continuation = token;
      ListObjectsV2Response page =
          s3.listObjectsV2(
              r -> r.bucket(bucket).prefix(prefixOf(app)).continuationToken(continuation));
      count += page.contents().size();
      token = Boolean.TRUE.equals(page.isTruncated()) ? page.nextContinuationToken() : null;
    } while (token != null);
    return count;
  }
}
