package dev.reviewapps.controller.reviewapp.credentials;

import dev.reviewapps.client.inventory.DatabaseCredentials;
import java.util.Optional;

/**
 * Where the generated database credentials of each review app are kept, readable only by the
 * controller. The password is generated once and stored before it is used anywhere, so that a crash
 * between creating the role and recording it never leaves a role whose password is lost.
 */
public interface CredentialStore {

  /**
   * The app's credentials, generated and stored on the first call; later calls (and concurrent
   * ones) return the stored ones.
   */
  DatabaseCredentials getOrCreate(String app, String username);

  /** The stored credentials, if any. */
  Optional<DatabaseCredentials> read(String app);

  /** Forgets the app's credentials; absent is fine. */
  void delete(String app);

  /** Where the credentials live, for the inventory (a key or an ARN, never the secret). */
  String locationOf(String app);
}
