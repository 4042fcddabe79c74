package dev.reviewapps.model.validation;

import java.util.regex.Pattern;

/** The syntax checks of the spec's string fields, as predicates. */
final class Syntax {
  private Syntax() {}

  static final Pattern LABEL =
      Pattern.compile(
          "[A-Za-z0-9]([A-Za-z0-9._-]{0," + (Bounds.MAX_LABEL_LENGTH - 2) + "}[A-Za-z0-9])?");
  static final Pattern COMMIT =
      Pattern.compile(
          "[0-9a-f]{" + Bounds.MIN_COMMIT_LENGTH + "," + Bounds.MAX_COMMIT_LENGTH + "}");
  static final Pattern POSIX_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
  static final Pattern HEALTH_PATH = Pattern.compile("/[!-~]*");
  static final Pattern INSTANCE_CLASS = Pattern.compile("db\\.[a-z0-9]+\\.[a-z0-9]+");
  static final Pattern ENGINE_VERSION = Pattern.compile("[0-9]+(\\.[0-9]+){0,2}");

  /** A PostgreSQL identifier that needs no quoting: what a template database is called. */
  static final Pattern PG_IDENTIFIER = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

  /**
   * An RDS snapshot identifier (letters, digits, single hyphens, a letter first), the {@code rds:}
   * form of automated snapshots, or an ARN. Length is checked apart.
   */
  static final Pattern SNAPSHOT_IDENTIFIER =
      Pattern.compile(
          "(rds:)?[A-Za-z](-?[A-Za-z0-9])*|arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:"
              + "(snapshot|cluster-snapshot):(rds:)?[A-Za-z](-?[A-Za-z0-9])*");

  // The grammar of github.com/distribution/reference (regexp.go), written out.
  private static final String ALNUM = "[a-z0-9]+";
  private static final String SEPARATOR = "(?:[._]|__|-+)";
  private static final String PATH_COMPONENT = ALNUM + "(?:" + SEPARATOR + ALNUM + ")*";
  private static final String DOMAIN_COMPONENT =
      "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
  // As Docker's splitDockerDomain: a first component is a registry only if it has a dot or a
  // port or is localhost; otherwise "Shop/web" would pass as registry "Shop" and path "web".
  private static final String HOST =
      "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")+|localhost|\\[[0-9A-Fa-f:]+\\])";
  private static final String DOMAIN =
      "(?:" + HOST + "(?::[0-9]+)?|" + DOMAIN_COMPONENT + ":[0-9]+)";
  private static final String TAG = "[\\w][\\w.-]{0,127}";
  private static final String DIGEST =
      "[A-Za-z][A-Za-z0-9]*(?:[-_+.][A-Za-z][A-Za-z0-9]*)*:[0-9A-Fa-f]{32,}";
  private static final Pattern IMAGE_REFERENCE =
      Pattern.compile(
          "(?:"
              + DOMAIN
              + "/)?"
              + PATH_COMPONENT
              + "(?:/"
              + PATH_COMPONENT
              + ")*(?::"
              + TAG
              + ")?(?:@"
              + DIGEST
              + ")?");

  static boolean isImageReference(String s) {
    return s.length() <= Bounds.MAX_IMAGE_LENGTH && IMAGE_REFERENCE.matcher(s).matches();
  }

  /**
   * The rules of {@code git check-ref-format --branch}: no control characters, space, {@code ~ ^ :
   * ? * [ \}, no {@code ..} or {@code @{}, no empty component or one that starts with a dot or ends
   * with {@code .lock}, not ending with a dot, not starting with a dash, not {@code @}.
   */
  static boolean isGitBranch(String s) {
    if (s.isEmpty() || s.length() > Bounds.MAX_BRANCH_LENGTH || s.equals("@")) {
      return false;
    }
    if (s.startsWith("-") || s.endsWith(".") || s.contains("..") || s.contains("@{")) {
      return false;
    }
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x20 || c == 0x7f || " ~^:?*[\\".indexOf(c) >= 0) {
        return false;
      }
    }
    for (String component : s.split("/", -1)) {
      if (component.isEmpty() || component.startsWith(".") || component.endsWith(".lock")) {
        return false;
      }
    }
    return true;
  }

  /** A command that has something to run and can be passed to a shell as one argument. */
  static boolean isCommand(String s) {
    return !s.isBlank() && s.length() <= Bounds.MAX_COMMAND_LENGTH && s.indexOf('\0') < 0;
  }
}
