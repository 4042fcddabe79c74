package dev.reviewapps.model.naming;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The name of a review app: 1 to {@value #MAX_LENGTH} of {@code a-z 0-9 -}, a letter or digit at
 * both ends, never two hyphens in a row. It keys the app's Consul entries and is the base of every
 * resource name and of its host ({@link ResourceNames}).
 *
 * <p>Why narrower than a DNS label: every identifier derived from a name must be one-to-one across
 * all names. PostgreSQL identifiers hold 63 bytes ({@code ra_} + 60), RDS instance identifiers 63
 * characters without {@code --} ({@code ra-} + 60). With these rules no derived name is ever cut or
 * hashed, so two names can never meet in a database, a role or an RDS instance.
 *
 * <p>{@link #fromBranch} maps branches to names so that <b>two different branches never get the
 * same name</b>. A branch that already is such a name is used as it is ({@code deploy-foo} stays
 * {@code deploy-foo}). Any other branch is cleaned up (lower case, every other character to {@code
 * -}, runs collapsed, ends trimmed, cut to {@value #MAX_BASE_LENGTH} characters) and gets {@code -}
 * and 8 hexadecimal digits of the SHA-256 of the branch text appended. Because cleaning up loses
 * information ({@code deploy-a_b}, {@code deploy-a-b} and {@code deploy-A-b} would all become
 * {@code deploy-a-b}), the suffix is added whenever the mapping was lossy, not only when the name
 * was cut. A branch that is a name but ends in {@code -} and 8 hex digits is treated as lossy too,
 * so that no unchanged name can look like a suffixed one.
 */
public record AppName(String value) {

  /** The longest app name. */
  public static final int MAX_LENGTH = 60;

  /** A DNS label (RFC 1123), for the other labels of a host name. */
  static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");

  /** An app name: a DNS label of at most {@value #MAX_LENGTH} characters without {@code --}. */
  static final Pattern LABEL =
      Pattern.compile("(?!.*--)[a-z0-9]([-a-z0-9]{0," + (MAX_LENGTH - 2) + "}[a-z0-9])?");

  private static final Pattern SUFFIXED = Pattern.compile(".*-[0-9a-f]{8}");
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-z0-9]+");

  /** The most characters of the cleaned-up branch kept before the suffix. */
  static final int MAX_BASE_LENGTH = MAX_LENGTH - 1 - 8;

  public AppName {
    Objects.requireNonNull(value, "value");
    if (!LABEL.matcher(value).matches()) {
      throw new IllegalArgumentException("not an app name: \"" + value + "\"");
    }
  }

  /** The name if {@code text} is a valid app name, else empty. */
  public static Optional<AppName> parse(String text) {
    return LABEL.matcher(text).matches() ? Optional.of(new AppName(text)) : Optional.empty();
  }

  /** The name of the review app for {@code branch}; see the class comment for the rules. */
  public static AppName fromBranch(String branch) {
    String cleaned = clean(branch);
    boolean lossless =
        cleaned.equals(branch)
            && !cleaned.isEmpty()
            && cleaned.length() <= MAX_LENGTH
            && !SUFFIXED.matcher(cleaned).matches();
    if (lossless) {
      return new AppName(cleaned);
    }
    String base = cleaned.isEmpty() ? "branch" : cleaned;
    if (base.length() > MAX_BASE_LENGTH) {
      base = trimDashes(base.substring(0, MAX_BASE_LENGTH));
    }
    return new AppName(base + "-" + suffix(branch));
  }

  private static String clean(String branch) {
    return trimDashes(NOT_ALLOWED.matcher(branch.toLowerCase(Locale.ROOT)).replaceAll("-"));
  }

  private static String trimDashes(String s) {
    int start = 0;
    int end = s.length();
    while (start < end && s.charAt(start) == '-') {
      start++;
    }
    while (end > start && s.charAt(end - 1) == '-') {
      end--;
    }
    return s.substring(start, end);
  }

  private static String suffix(String branch) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(branch.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256.
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return value;
  }
}
