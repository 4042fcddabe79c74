package dev.reviewapps.controller.reviewapp.credentials;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.client.inventory.DatabaseCredentials;
import dev.reviewapps.consul.KeyLayout;
import dev.reviewapps.consul.KeyValueStore;
import dev.reviewapps.consul.KvEntry;
import java.io.IOException;
import java.util.Optional;

/**
 * Credentials in Consul KV under {@code <prefix>/secrets/<name>}. Consul ACLs keep them to the
 * controller: its token is the only one with {@code key_prefix "<prefix>/secrets/"} access (see the
 * module README for the policies). The value is JSON {@code {"username","password"}}.
 *
 * <p>Creation uses check-and-set with index 0 ("only if absent"), so two controllers racing during
 * a leader hand-over still end with one password, the first one written.
 */
public final class ConsulCredentialStore implements CredentialStore {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeyValueStore kv;
  private final KeyLayout layout;
  private final PasswordGenerator passwords;

  public ConsulCredentialStore(KeyValueStore kv, KeyLayout layout, PasswordGenerator passwords) {
    this.kv = kv;
    this.layout = layout;
    this.passwords = passwords;
  }

  @Override
  public String locationOf(String app) {
    return layout.prefix() + "secrets/" + app;
  }

  @Override
  public DatabaseCredentials getOrCreate(String app, String username) {
    Optional<DatabaseCredentials> stored = read(app);
    if (stored.isPresent()) {
      return stored.get();
    }
    DatabaseCredentials fresh = new DatabaseCredentials(username, passwords.next());
    if (kv.compareAndSet(locationOf(app), encode(fresh), 0)) {
      return fresh;
    }
    // Someone wrote first: theirs is the one.
    return read(app)
        .orElseThrow(() -> new IllegalStateException("credentials of " + app + " vanished"));
  }

  @Override
  public Optional<DatabaseCredentials> read(String app) {
    return kv.get(locationOf(app)).map(ConsulCredentialStore::decode);
  }

  @Override
  public void delete(String app) {
    kv.delete(locationOf(app));
  }

  private static byte[] encode(DatabaseCredentials credentials) {
    ObjectNode node = JSON.createObjectNode();
    node.put("username", credentials.username());
    node.put("password", credentials.password());
    try {
      return JSON.writeValueAsBytes(node);
    } catch (IOException e) {
      throw new IllegalStateException("cannot encode credentials", e);
    }
  }

  private static DatabaseCredentials decode(KvEntry entry) {
    JsonNode node;
    try {
      node = JSON.readTree(entry.value());
    } catch (IOException e) {
      node = null;
    }
    if (node == null || !node.hasNonNull("username") || !node.hasNonNull("password")) {
      // No cause and no value in the message: the value is the secret.
      throw new IllegalStateException("stored credentials at " + entry.key() + " are unreadable");
    }
    return new DatabaseCredentials(node.get("username").asText(), node.get("password").asText());
  }
}
