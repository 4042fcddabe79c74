package dev.reviewapps.model.validation;

/** The rules a spec can break; {@link #id()} is the stable name shown in status and CLI output. */
public enum Rule {
  /** The bytes are not one JSON document (syntax, encoding, duplicate key, nesting too deep). */
  JSON_SYNTAX("jsonSyntax"),
  /** The document is larger than Consul's value limit. */
  TOO_LARGE("tooLarge"),
  /** A field this version of the spec does not know. */
  UNKNOWN_FIELD("unknownField"),
  /** A required field is missing or null. */
  REQUIRED("required"),
  /** A field has the wrong JSON type. */
  TYPE("type"),
  /** A value is not one of a closed set (apiVersion, kind, database mode). */
  ONE_OF("oneOf"),
  /** A number outside its bounds, or a collection with too many entries. */
  RANGE("range"),
  /**
   * The app name is not a DNS label of at most 60 characters without {@code --} (the rule that
   * keeps every identifier derived from it one-to-one).
   */
  DNS_LABEL("dnsLabel"),
  /** A label key or value breaks the label syntax. */
  LABEL("label"),
  /** The branch is not a valid git branch name. */
  GIT_REF("gitRef"),
  /** The commit is not a hexadecimal object name. */
  COMMIT("commit"),
  /** An image is not a valid OCI image reference. */
  IMAGE_REFERENCE("imageReference"),
  /** A command is blank, too long or contains NUL. */
  COMMAND("command"),
  /** The health path is not an absolute HTTP path. */
  HEALTH_PATH("healthPath"),
  /** The ttl is not a number and a unit, or outside its bounds. */
  TTL("ttl"),
  /** The sleepAfter is neither 0 nor a number and a unit, or outside its bounds. */
  SLEEP_AFTER("sleepAfter"),
  /** An environment variable name is not a POSIX name. */
  ENV_NAME("envName"),
  /** An environment variable name is one the controller sets itself. */
  RESERVED_ENV("reservedEnv"),
  /** An environment variable value contains NUL or is too long. */
  ENV_VALUE("envValue"),
  /** A database field has the wrong syntax for its mode. */
  DATABASE("database"),
  /**
   * A data source (a template database, a snapshot) that the controller's configuration does not
   * allow; checked by the controller, which holds the allow-lists.
   */
  NOT_ALLOWED("notAllowed"),
  /**
   * A field that cannot change once what it describes exists (the database of a provisioned app);
   * checked by the controller, which knows what exists.
   */
  IMMUTABLE("immutable");

  private final String id;

  Rule(String id) {
    this.id = id;
  }

  /** The stable lowerCamel name of the rule. */
  public String id() {
    return id;
  }
}
