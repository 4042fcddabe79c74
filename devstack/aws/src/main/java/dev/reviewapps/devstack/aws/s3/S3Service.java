package dev.reviewapps.devstack.aws.s3;

import dev.reviewapps.devstack.aws.protocol.AwsError;
import dev.reviewapps.devstack.aws.protocol.PercentEncoding;
import dev.reviewapps.devstack.aws.protocol.Xml;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.Reply;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.regex.Pattern;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * S3 over path-style REST ({@code /bucket/key}). Objects are kept in memory in key order, which is
 * the order ListObjectsV2 returns.
 */
public final class S3Service {
  private static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";
  private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");
  private static final DateTimeFormatter HTTP_DATE =
      DateTimeFormatter.RFC_1123_DATE_TIME.withZone(ZoneOffset.UTC);
  private static final int MAX_KEYS = 1000;

  private record Bucket(Instant created, ConcurrentSkipListMap<String, StoredObject> objects) {}

  /** A bucket and key taken from the path; the key is empty for bucket operations. */
  private record Target(String bucket, String key) {}

  private final String region;
  private final Clock clock;
  private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

  public S3Service(String region, Clock clock) {
    this.region = region;
    this.clock = clock;
  }

  /** The S3 operation a request names, for fault rules and signatures. */
  public static String operation(Exchange e) {
    Target t = target(e);
    boolean object = !t.key().isEmpty();
    return switch (e.method()) {
      case "GET" ->
          t.bucket().isEmpty()
              ? "ListBuckets"
              : object
                  ? "GetObject"
                  : e.param("list-type").filter("2"::equals).isPresent()
                      ? "ListObjectsV2"
                      : "ListObjects";
      case "HEAD" -> object ? "HeadObject" : "HeadBucket";
      case "PUT" -> object ? "PutObject" : "CreateBucket";
      case "DELETE" -> object ? "DeleteObject" : "DeleteBucket";
      case "POST" -> !object && e.hasParam("delete") ? "DeleteObjects" : "Unknown";
      default -> "Unknown";
    };
  }

  /**
   * Performs one request.
   *
   * @throws AwsError for every failure S3 reports as an error document
   */
  public Reply handle(Exchange e, String requestId) {
    Target t = target(e);
    Reply reply =
        switch (operation(e)) {
          case "ListBuckets" -> listBuckets();
          case "CreateBucket" -> createBucket(t.bucket());
          case "HeadBucket" -> {
            bucket(t.bucket());
            yield Reply.empty(200).withHeader("x-amz-bucket-region", region);
          }
          case "DeleteBucket" -> deleteBucket(t.bucket());
          case "ListObjectsV2" -> listV2(e, t.bucket());
          case "PutObject" -> put(e, t);
          case "GetObject" -> get(t, true);
          case "HeadObject" -> get(t, false);
          case "DeleteObject" -> {
            bucket(t.bucket()).objects().remove(t.key());
            yield Reply.empty(204);
          }
          case "DeleteObjects" -> deleteObjects(e, t.bucket());
          default ->
              throw new AwsError(
                  501,
                  "NotImplemented",
                  "A header or query you provided implies functionality that is not implemented.");
        };
    return reply.withHeader("x-amz-request-id", requestId).withHeader("x-amz-id-2", requestId);
  }

  /**
   * An error as S3 answers it: {@code <Error><Code/><Message/>…<RequestId/><HostId/></Error>}, or
   * no body at all for a HEAD request.
   */
  public static Reply error(AwsError error, String requestId, boolean head) {
    byte[] body = new byte[0];
    if (!head) {
      Xml xml = Xml.document("Error");
      xml.leaf("Code", error.code()).leaf("Message", error.awsMessage());
      error.extra().forEach(xml::leaf);
      xml.leaf("RequestId", requestId).leaf("HostId", requestId);
      body = xml.bytes();
    }
    return Reply.of(error.status(), "application/xml", body)
        .withHeader("x-amz-request-id", requestId)
        .withHeader("x-amz-id-2", requestId);
  }

  private static Target target(Exchange e) {
    String path = e.path().startsWith("/") ? e.path().substring(1) : e.path();
    int slash = path.indexOf('/');
    return slash < 0
        ? new Target(path, "")
        : new Target(path.substring(0, slash), path.substring(slash + 1));
  }

  private Bucket bucket(String name) {
    Bucket bucket = buckets.get(name);
    if (bucket == null) {
      throw new AwsError(
          404, "NoSuchBucket", "The specified bucket does not exist", Map.of("BucketName", name));
    }
    return bucket;
  }

  private Reply listBuckets() {
    Xml xml = Xml.document("ListAllMyBucketsResult", NAMESPACE);
    xml.open("Owner").leaf("ID", "devstack").leaf("DisplayName", "devstack").close();
    xml.open("Buckets");
    buckets.entrySet().stream()
        .sorted(Map.Entry.comparingByKey())
        .forEach(
            b ->
                xml.open("Bucket")
                    .leaf("Name", b.getKey())
                    .time("CreationDate", b.getValue().created())
                    .close());
    return Reply.of(200, "application/xml", xml.bytes());
  }

  private Reply createBucket(String name) {
    if (!BUCKET_NAME.matcher(name).matches() || name.contains("..")) {
      throw new AwsError(
          400,
          "InvalidBucketName",
          "The specified bucket is not valid.",
          Map.of("BucketName", name));
    }
    Bucket created = new Bucket(clock.instant(), new ConcurrentSkipListMap<>());
    // us-east-1 answers 200 to a bucket you already own, for compatibility; other regions 409.
    if (buckets.putIfAbsent(name, created) != null && !region.equals("us-east-1")) {
      throw new AwsError(
          409,
          "BucketAlreadyOwnedByYou",
          "Your previous request to create the named bucket succeeded and you already own it.",
          Map.of("BucketName", name));
    }
    return Reply.empty(200).withHeader("Location", "/" + name);
  }

  private Reply deleteBucket(String name) {
    Bucket bucket = bucket(name);
    if (!bucket.objects().isEmpty()) {
      throw new AwsError(
          409,
          "BucketNotEmpty",
          "The bucket you tried to delete is not empty",
          Map.of("BucketName", name));
    }
    buckets.remove(name, bucket);
    return Reply.empty(204);
  }

  private Reply put(Exchange e, Target t) {
    Bucket bucket = bucket(t.bucket());
    if (e.header("x-amz-copy-source").isPresent()) {
      throw new AwsError(501, "NotImplemented", "devstack does not implement CopyObject.");
    }
    byte[] data = e.body();
    String encoding = e.header("content-encoding").orElse("");
    if (AwsChunked.isChunked(encoding, e.header("x-amz-content-sha256").orElse(""))) {
      data = AwsChunked.decode(data).data();
      Optional<Long> declared = e.header("x-amz-decoded-content-length").map(Long::parseLong);
      if (declared.isPresent() && declared.get() != data.length) {
        throw new AwsError(
            400,
            "IncompleteBody",
            "You did not provide the number of bytes specified by the"
                + " x-amz-decoded-content-length HTTP header");
      }
    }
    byte[] md5 = digest("MD5", data);
    Optional<String> sentMd5 = e.header("content-md5");
    if (sentMd5.isPresent() && !sentMd5.get().equals(Base64.getEncoder().encodeToString(md5))) {
      throw new AwsError(
          400, "BadDigest", "The Content-MD5 you specified did not match what we received.");
    }
    Map<String, String> metadata = new LinkedHashMap<>();
    e.headers()
        .forEach(
            (name, values) -> {
              if (name.startsWith("x-amz-meta-")) {
                metadata.put(name.substring("x-amz-meta-".length()), values.get(0));
              }
            });
    Optional<String> storedEncoding =
        Optional.of(
                String.join(
                    ",",
                    List.of(encoding.split(",")).stream()
                        .map(String::trim)
                        .filter(s -> !s.isEmpty() && !s.equalsIgnoreCase("aws-chunked"))
                        .toList()))
            .filter(s -> !s.isEmpty());
    String etag = "\"" + HexFormat.of().formatHex(md5) + "\"";
    bucket
        .objects()
        .put(
            t.key(),
            new StoredObject(
                data,
                e.header("content-type").orElse("binary/octet-stream"),
                storedEncoding,
                etag,
                clock.instant(),
                Map.copyOf(metadata)));
    return Reply.empty(200).withHeader("ETag", etag);
  }

  private Reply get(Target t, boolean withBody) {
    StoredObject object = bucket(t.bucket()).objects().get(t.key());
    if (object == null) {
      throw new AwsError(
          404, "NoSuchKey", "The specified key does not exist.", Map.of("Key", t.key()));
    }
    Reply reply =
        Reply.of(200, object.contentType(), withBody ? object.data() : new byte[0])
            .withHeader("ETag", object.etag())
            .withHeader("Last-Modified", HTTP_DATE.format(object.lastModified()))
            .withHeader("Accept-Ranges", "bytes");
    if (!withBody) {
      // A HEAD answer names the size of the body it leaves out.
      reply = reply.withHeader("Content-Length", Integer.toString(object.data().length));
    }
    if (object.contentEncoding().isPresent()) {
      reply = reply.withHeader("Content-Encoding", object.contentEncoding().get());
    }
    for (Map.Entry<String, String> m : object.userMetadata().entrySet()) {
      reply = reply.withHeader("x-amz-meta-" + m.getKey(), m.getValue());
    }
    return reply;
  }

  private Reply listV2(Exchange e, String bucketName) {
    Bucket bucket = bucket(bucketName);
    String prefix = e.param("prefix").orElse("");
    Optional<String> delimiter = e.param("delimiter").filter(d -> !d.isEmpty());
    int maxKeys = e.param("max-keys").map(S3Service::maxKeys).orElse(MAX_KEYS);
    Optional<String> token = e.param("continuation-token");
    Optional<String> startAfter = e.param("start-after").filter(s -> !s.isEmpty());
    boolean urlEncoded = e.param("encoding-type").filter("url"::equals).isPresent();
    // Resume after the last item returned: a key, or a common prefix whose keys are all skipped.
    Optional<String> resumeAfter = token.map(S3Service::decodeToken).or(() -> startAfter);

    List<String> items = new ArrayList<>();
    List<Boolean> isPrefix = new ArrayList<>();
    String lastPrefix = null;
    var candidates =
        resumeAfter.isPresent()
            ? bucket.objects().tailMap(resumeAfter.get(), false)
            : bucket.objects().tailMap(prefix, true);
    for (String key : candidates.keySet()) {
      if (!key.startsWith(prefix)) {
        if (key.compareTo(prefix) > 0) {
          break;
        }
        continue;
      }
      if (resumeAfter.isPresent()
          && delimiter.isPresent()
          && resumeAfter.get().endsWith(delimiter.get())
          && key.startsWith(resumeAfter.get())) {
        continue;
      }
      if (delimiter.isPresent()) {
        int at = key.indexOf(delimiter.get(), prefix.length());
        if (at >= 0) {
          String common = key.substring(0, at + delimiter.get().length());
          if (!common.equals(lastPrefix)) {
            items.add(common);
            isPrefix.add(true);
            lastPrefix = common;
          }
          if (items.size() > maxKeys) {
            break;
          }
          continue;
        }
      }
      items.add(key);
      isPrefix.add(false);
      if (items.size() > maxKeys) {
        break;
      }
    }
    boolean truncated = items.size() > maxKeys;
    int count = Math.min(items.size(), maxKeys);

    Xml xml = Xml.document("ListBucketResult", NAMESPACE);
    xml.leaf("Name", bucketName).leaf("Prefix", encode(prefix, urlEncoded));
    delimiter.ifPresent(d -> xml.leaf("Delimiter", encode(d, urlEncoded)));
    xml.leaf("MaxKeys", maxKeys).leaf("KeyCount", count).leaf("IsTruncated", truncated);
    token.ifPresent(tk -> xml.leaf("ContinuationToken", tk));
    if (truncated) {
      xml.leaf("NextContinuationToken", encodeToken(items.get(count - 1)));
    }
    startAfter.ifPresent(s -> xml.leaf("StartAfter", encode(s, urlEncoded)));
    if (urlEncoded) {
      xml.leaf("EncodingType", "url");
    }
    for (int i = 0; i < count; i++) {
      if (isPrefix.get(i)) {
        continue;
      }
      StoredObject o = bucket.objects().get(items.get(i));
      xml.open("Contents").leaf("Key", encode(items.get(i), urlEncoded));
      if (o != null) {
        xml.time("LastModified", o.lastModified())
            .leaf("ETag", o.etag())
            .leaf("Size", o.data().length);
      }
      xml.leaf("StorageClass", "STANDARD").close();
    }
    for (int i = 0; i < count; i++) {
      if (isPrefix.get(i)) {
        xml.open("CommonPrefixes").leaf("Prefix", encode(items.get(i), urlEncoded)).close();
      }
    }
    return Reply.of(200, "application/xml", xml.bytes());
  }

  private static int maxKeys(String value) {
    try {
      int n = Integer.parseInt(value);
      if (n >= 0) {
        return Math.min(n, MAX_KEYS);
      }
    } catch (NumberFormatException e) {
      // answered below
    }
    throw new AwsError(
        400,
        "InvalidArgument",
        "Provided max-keys not an integer or within integer range",
        Map.of("ArgumentName", "max-keys", "ArgumentValue", value));
  }

  private static String encodeToken(String item) {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(item.getBytes(StandardCharsets.UTF_8));
  }

  private static String decodeToken(String token) {
    try {
      return new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw new AwsError(
          400,
          "InvalidArgument",
          "The continuation token provided is incorrect",
          Map.of("ArgumentName", "continuation-token"));
    }
  }

  /** S3's {@code encoding-type=url}: percent-encoding of all but unreserved characters and '/'. */
  private static String encode(String value, boolean urlEncoded) {
    return urlEncoded ? PercentEncoding.encode(value, true) : value;
  }

  private Reply deleteObjects(Exchange e, String bucketName) {
    Bucket bucket = bucket(bucketName);
    byte[] body = e.body();
    if (AwsChunked.isChunked(
        e.header("content-encoding").orElse(""), e.header("x-amz-content-sha256").orElse(""))) {
      body = AwsChunked.decode(body).data();
    }
    Document doc = parse(body);
    NodeList objects = doc.getElementsByTagName("Object");
    if (objects.getLength() > 1000) {
      throw malformed();
    }
    boolean quiet =
        doc.getElementsByTagName("Quiet").getLength() > 0
            && Boolean.parseBoolean(
                doc.getElementsByTagName("Quiet").item(0).getTextContent().trim());
    Xml xml = Xml.document("DeleteResult", NAMESPACE);
    for (int i = 0; i < objects.getLength(); i++) {
      Element object = (Element) objects.item(i);
      NodeList keys = object.getElementsByTagName("Key");
      if (keys.getLength() == 0) {
        continue;
      }
      String key = keys.item(0).getTextContent();
      bucket.objects().remove(key);
      if (!quiet) {
        xml.open("Deleted").leaf("Key", key).close();
      }
    }
    return Reply.of(200, "application/xml", xml.bytes());
  }

  private static Document parse(byte[] body) {
    try {
      DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
      factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
      factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
      return factory.newDocumentBuilder().parse(new ByteArrayInputStream(body));
    } catch (Exception ex) {
      throw malformed();
    }
  }

  private static AwsError malformed() {
    return new AwsError(
        400,
        "MalformedXML",
        "The XML you provided was not well-formed or did not validate against our published"
            + " schema");
  }

  private static byte[] digest(String algorithm, byte[] data) {
    try {
      return MessageDigest.getInstance(algorithm).digest(data);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(algorithm + " is part of every JDK", e);
    }
  }
}
