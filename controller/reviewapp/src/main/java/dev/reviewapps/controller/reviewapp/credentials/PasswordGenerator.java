package dev.reviewapps.controller.reviewapp.credentials;

import java.security.SecureRandom;

/**
 * Random passwords of letters and digits only: they go into {@code postgresql://user:pw@host/db}
 * URLs and RDS's MasterUserPassword, where {@code @ / : ? #} and quotes would need escaping. 32
 * characters from 62 give about 190 bits.
 */
public final class PasswordGenerator {

  private static final String ALPHABET =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  private static final int LENGTH = 32;

  private final SecureRandom random = new SecureRandom();

  /** A new password. */
  public String next() {
    StringBuilder password = new StringBuilder(LENGTH);
    for (int i = 0; i < LENGTH; i++) {
      password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    }
    return password.toString();
  }
}
