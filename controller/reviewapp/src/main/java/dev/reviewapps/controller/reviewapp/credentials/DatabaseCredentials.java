package dev.reviewapps.controller.reviewapp.credentials;

import java.util.Objects;

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

  @Override
  public String toString() {
    return "DatabaseCredentials[" + username + ", password hidden]";
  }
}
