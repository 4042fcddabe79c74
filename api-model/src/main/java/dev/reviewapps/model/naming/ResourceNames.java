package dev.reviewapps.model.naming;

import java.util.Objects;
import java.util.Optional;

/**
 * Every identifier review-apps derives from an app name, in one place, so that the rules that keep
 * apps apart can be read and tested together. Each function is one-to-one across all valid {@link
 * AppName}s, and the kinds never meet:
 *
 * <ul>
 *   <li>database and role {@code ra_<name with - as _>}: names hold no {@code _}, so replacing
 *       {@code -} loses nothing; at most 63 bytes, so PostgreSQL never cuts it;
 *   <li>RDS instance {@code ra-<name>}: a name has no {@code --} and at most 60 characters, so the
 *       result is a valid RDS identifier that needs no cleaning;
 *   <li>the service job is the name itself; every batch job is {@code <name>.<kind>[.<release>]}. A
 *       name holds no {@code .}, so a batch job ID is never any app's service job ID, and the part
 *       before the first {@code .} says whose it is;
 *   <li>the S3 assets folder {@code <prefix><name>/}: the trailing {@code /} keeps {@code app} from
 *       matching {@code app-2}'s objects.
 * </ul>
 *
 * <p>Consul keys ({@code specs/<name>}, …) and hosts ({@link HostTemplate}) put the name in a fixed
 * frame, which is one-to-one as well.
 */
public record ResourceNames(AppName app) {

  /** What separates an app name from the rest of a batch job's ID. */
  public static final char JOB_SEPARATOR = '.';

  public ResourceNames {
    Objects.requireNonNull(app, "app");
  }

  /** The names of the app called {@code name}, which must be a valid app name. */
  public static ResourceNames of(String name) {
    return new ResourceNames(new AppName(name));
  }

  /** The app's database on the shared server. */
  public String database() {
    return "ra_" + app.value().replace('-', '_');
  }

  /** The role that owns {@link #database()}: the same name. */
  public String role() {
    return database();
  }

  /** The app's dedicated RDS instance (modes {@code instance} and {@code snapshot}). */
  public String rdsInstance() {
    return "ra-" + app.value();
  }

  /** The service job (Redis, web, worker). */
  public String serviceJob() {
    return app.value();
  }

  /** The migrate batch job of one release. */
  public String migrateJob(String release) {
    return batchJobPrefix("migrate") + release;
  }

  /** The seed batch job of one release (a failed seed is tried again by the next release). */
  public String seedJob(String release) {
    return batchJobPrefix("seed") + release;
  }

  /** The predestroy batch job, run before the database goes. */
  public String predestroyJob() {
    return app.value() + JOB_SEPARATOR + "predestroy";
  }

  /** What every batch job of {@code kind} (migrate, seed) of this app starts with. */
  public String batchJobPrefix(String kind) {
    return app.value() + JOB_SEPARATOR + kind + JOB_SEPARATOR;
  }

  /** What every batch job of this app starts with; no other app's job does. */
  public String batchJobsPrefix() {
    return app.value() + JOB_SEPARATOR;
  }

  /** The app's folder of static assets under {@code prefix} (which ends with {@code /}). */
  public String assetsFolder(String prefix) {
    return prefix + app.value() + "/";
  }

  /**
   * The app a Nomad job ID review-apps made belongs to: the ID itself for a service job, the part
   * before the first {@code .} for a batch job; empty when that part is no app name.
   */
  public static Optional<AppName> ownerOfJob(String jobId) {
    int dot = jobId.indexOf(JOB_SEPARATOR);
    return AppName.parse(dot < 0 ? jobId : jobId.substring(0, dot));
  }
}
