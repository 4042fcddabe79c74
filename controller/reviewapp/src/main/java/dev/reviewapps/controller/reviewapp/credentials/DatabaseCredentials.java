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

  @Override
  public String toString() {
    return "DatabaseCredentials[" + username + ", password hidden]";
  }
}
