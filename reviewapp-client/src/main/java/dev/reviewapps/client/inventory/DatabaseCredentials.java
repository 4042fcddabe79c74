package dev.reviewapps.client.inventory;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.HexFormat;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The login of one app's database role. {@link #toString} never shows the password: a record would
 * print every field into any log line or exception message it reached.
 */
public record DatabaseCredentials(String username, String password) {

  public DatabaseCredentials {
    Objects.requireNonNull(username, "username");
    Objects.requireNonNull(password, "password");
  }

  /**
   * {@code postgresql://user:password@endpoint/database}, for the jobs' DATABASE_URL. It holds the
   * password: it goes into a job's environment and nowhere else.
   */
  public String url(String endpoint, String database) {
    return "postgresql://" + username + ":" + password + "@" + endpoint + "/" + database;
  }

  /**
   * The password of the app's Redis ({@code requirepass}): derived from the database password with
   * HMAC-SHA256, so it is as secret as that password, stored with it (nothing new to keep or to
   * lose) and the same on every reconcile, which keeps the Redis job unchanged.
   */
  public String redisPassword() {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(password.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
      byte[] digest = mac.doFinal("review-apps redis".getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
    }
  }

  /**
   * {@code redis://:password@address/0}, for the jobs' REDIS_URL. It holds the password: it goes
   * into a job's environment and nowhere else.
   */
  public String redisUrl(String address) {
    return "redis://:" + redisPassword() + "@" + address + "/0";
  }

  @Override
  public String toString() {
    return "DatabaseCredentials[" + username + ", password hidden]";
  }
}
