package dev.reviewapps.model.validation;

import java.time.Duration;
import java.util.Set;

/**
 * Every bound of the spec, in one place; the README and the JSON Schema repeat these numbers and a
 * test keeps the schema in step.
 */
public final class Bounds {
  private Bounds() {}

  /** Consul's limit on one KV value. */
  public static final int MAX_SPEC_BYTES = 512 * 1024;

  public static final int MAX_LABELS = 64;
  public static final int MAX_LABEL_LENGTH = 63;

  /** Git allows longer refs; hosting services and file systems do not. */
  public static final int MAX_BRANCH_LENGTH = 255;

  public static final int MIN_COMMIT_LENGTH = 7;

  /** SHA-256 object names. */
  public static final int MAX_COMMIT_LENGTH = 64;

  /** The registry's limit on a repository name plus room for domain, tag and digest. */
  public static final int MAX_IMAGE_LENGTH = 512;

  public static final int MAX_COMMAND_LENGTH = 4096;

  public static final int MIN_COUNT = 0;
  public static final int MAX_COUNT = 20;

  /** Nomad's cpu unit is MHz. */
  public static final int MIN_CPU_MHZ = 50;

  public static final int MAX_CPU_MHZ = 8000;

  /** Nomad refuses tasks below 10 MB; Ruby does not start in less than 32. */
  public static final int MIN_MEMORY_MB = 32;

  public static final int MAX_MEMORY_MB = 16384;

  public static final int MAX_HEALTH_PATH_LENGTH = 1024;

  public static final int MAX_ENV_VARS = 256;
  public static final int MAX_ENV_NAME_LENGTH = 256;
  public static final int MAX_ENV_VALUE_LENGTH = 32 * 1024;

  public static final Duration MIN_TTL = Duration.ofMinutes(10);
  public static final Duration MAX_TTL = Duration.ofDays(90);

  /**
   * Shorter idle times would put an app to sleep between two clicks of a reviewer reading a page;
   * longer ones than a month are a {@code 0} in disguise.
   */
  public static final Duration MIN_SLEEP_AFTER = Duration.ofMinutes(5);

  public static final Duration MAX_SLEEP_AFTER = Duration.ofDays(30);

  /** RDS limits for gp2/gp3 PostgreSQL storage. */
  public static final int MIN_ALLOCATED_STORAGE_GB = 20;

  public static final int MAX_ALLOCATED_STORAGE_GB = 1024;

  /**
   * Environment variables the controller sets for every process; a spec may not set them. Names
   * starting with one of {@link #RESERVED_ENV_PREFIXES} are refused as well.
   */
  public static final Set<String> RESERVED_ENV_NAMES = Set.of("DATABASE_URL", "REDIS_URL", "PORT");

  /** Nomad sets NOMAD_*; REVIEW_APP_* is kept for the controller (name, URL, commit). */
  public static final Set<String> RESERVED_ENV_PREFIXES = Set.of("NOMAD_", "REVIEW_APP_");
}
