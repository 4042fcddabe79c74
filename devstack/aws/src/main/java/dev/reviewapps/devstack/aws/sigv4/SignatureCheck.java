package dev.reviewapps.devstack.aws.sigv4;

import dev.reviewapps.devstack.aws.protocol.AwsError;
import dev.reviewapps.devstack.aws.protocol.PercentEncoding;
import dev.reviewapps.devstack.http.Exchange;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Verifies the {@code Authorization: AWS4-HMAC-SHA256 …} header of a request against configured
 * credentials. Only header signatures are checked (not presigned URLs), and for {@code aws-chunked}
 * bodies only the seed signature, not each chunk's. Secrets never appear in errors.
 */
public final class SignatureCheck {
  private static final org.slf4j.Logger log =
      org.slf4j.LoggerFactory.getLogger(SignatureCheck.class);
  private static final Pattern AUTHORIZATION =
      Pattern.compile(
          "AWS4-HMAC-SHA256\\s+Credential=([^/]+)/(\\d{8})/([^/]+)/([^/]+)/aws4_request,\\s*"
              + "SignedHeaders=([^,]+),\\s*Signature=([0-9a-f]{64})");
  private static final HexFormat HEX = HexFormat.of();

  private final Map<String, String> secrets;

  /**
   * @param secrets secret access keys by access key ID
   */
  public SignatureCheck(Map<String, String> secrets) {
    this.secrets = Map.copyOf(secrets);
  }

  /** The service named in a request's credential scope ({@code rds}, {@code s3}, …), if signed. */
  public static Optional<String> scopeService(Exchange e) {
    return e.header("authorization")
        .map(AUTHORIZATION::matcher)
        .filter(Matcher::find)
        .map(m -> m.group(4));
  }

  /**
   * Checks a request.
   *
   * @param s3 S3 names its errors differently and does not encode the path a second time
   * @throws AwsError as AWS answers a missing, unknown or wrong signature
   */
  public void verify(Exchange e, boolean s3) {
    Matcher m = e.header("authorization").map(AUTHORIZATION::matcher).orElse(null);
    if (m == null || !m.find()) {
      throw s3
          ? new AwsError(403, "AccessDenied", "Access Denied")
          : new AwsError(
              403, "MissingAuthenticationToken", "Request is missing Authentication Token");
    }
    String accessKey = m.group(1);
    String secret = secrets.get(accessKey);
    if (secret == null) {
      throw s3
          ? new AwsError(
              403,
              "InvalidAccessKeyId",
              "The AWS Access Key Id you provided does not exist in our records.",
              Map.of("AWSAccessKeyId", accessKey))
          : new AwsError(
              403,
              "InvalidClientTokenId",
              "The security token included in the request is invalid.");
    }
    String date = m.group(2);
    String region = m.group(3);
    String service = m.group(4);
    List<String> signedHeaders = List.of(m.group(5).split(";"));
    String amzDate = e.header("x-amz-date").orElse("");
    String payloadHash = payloadHash(e, s3);
    String canonical =
        e.method()
            + "\n"
            + canonicalUri(e.rawPath(), s3)
            + "\n"
            + canonicalQuery(e.query())
            + "\n"
            + canonicalHeaders(e, signedHeaders)
            + "\n"
            + String.join(";", signedHeaders)
            + "\n"
            + payloadHash;
    String scope = date + "/" + region + "/" + service + "/aws4_request";
    String toSign =
        "AWS4-HMAC-SHA256\n" + amzDate + "\n" + scope + "\n" + HEX.formatHex(sha256(canonical));
    byte[] key = hmac(("AWS4" + secret).getBytes(StandardCharsets.UTF_8), date);
    key = hmac(key, region);
    key = hmac(key, service);
    key = hmac(key, "aws4_request");
    String expected = HEX.formatHex(hmac(key, toSign));
    if (!MessageDigest.isEqual(
        expected.getBytes(StandardCharsets.US_ASCII),
        m.group(6).getBytes(StandardCharsets.US_ASCII))) {
      log.debug("signature mismatch; canonical request was:\n{}", canonical);
      throw s3
          ? new AwsError(
              403,
              "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided."
                  + " Check your key and signing method.",
              // S3 shows what it signed, which is how a client author finds the difference.
              Map.of(
                  "AWSAccessKeyId",
                  accessKey,
                  "StringToSign",
                  toSign,
                  "CanonicalRequest",
                  canonical))
          : new AwsError(
              403,
              "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided."
                  + " Check your AWS Secret Access Key and signing method. Consult the service"
                  + " documentation for details.");
    }
  }

  /** The declared payload hash, checked against the body when it is a plain SHA-256. */
  private static String payloadHash(Exchange e, boolean s3) {
    String actual = HEX.formatHex(sha256(e.body()));
    Optional<String> declared = e.header("x-amz-content-sha256");
    if (declared.isEmpty()) {
      return actual;
    }
    String value = declared.get();
    if (value.matches("[0-9a-f]{64}") && !value.equals(actual)) {
      throw s3
          ? new AwsError(
              400,
              "XAmzContentSHA256Mismatch",
              "The provided 'x-amz-content-sha256' header does not match what was computed.")
          : new AwsError(
              403,
              "SignatureDoesNotMatch",
              "The request signature we calculated does not match the signature you provided.");
    }
    return value;
  }

  /** S3 signs the path as sent; the other services sign it percent-encoded once more. */
  static String canonicalUri(String rawPath, boolean s3) {
    String path = rawPath == null || rawPath.isEmpty() ? "/" : rawPath;
    if (s3) {
      return path;
    }
    StringBuilder out = new StringBuilder();
    for (String segment : path.split("/", -1)) {
      if (out.length() > 0 || !segment.isEmpty()) {
        out.append('/');
      }
      out.append(encode(segment));
    }
    String result = out.toString();
    return result.isEmpty() ? "/" : result.startsWith("/") ? result : "/" + result;
  }

  static String canonicalQuery(Map<String, List<String>> query) {
    List<String> pairs = new ArrayList<>();
    query.forEach((k, values) -> values.forEach(v -> pairs.add(encode(k) + "=" + encode(v))));
    pairs.sort(null);
    return String.join("&", pairs);
  }

  private static String canonicalHeaders(Exchange e, List<String> signed) {
    StringBuilder out = new StringBuilder();
    for (String name : signed) {
      List<String> values = e.headers().getOrDefault(name.toLowerCase(Locale.ROOT), List.of());
      List<String> trimmed = values.stream().map(v -> v.trim().replaceAll("\\s+", " ")).toList();
      out.append(name).append(':').append(String.join(",", trimmed)).append('\n');
    }
    return out.toString();
  }

  private static String encode(String value) {
    return PercentEncoding.encode(value, false);
  }

  private static byte[] sha256(String text) {
    return sha256(text.getBytes(StandardCharsets.UTF_8));
  }

  private static byte[] sha256(byte[] data) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(data);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }
}
