package dev.reviewapps.devstack.nomad.exec;

/**
 * A documented stand-in for the docker driver, which has no engine here: tasks whose image matches
 * {@code image} run {@code sh -c <shellCommand>} as raw_exec tasks instead, with the image as
 * {@code $0} and the task's docker {@code command} and {@code args} as {@code "$@"}. Every such
 * task gets a {@code Driver} event and a log line saying so.
 *
 * @param image an image name, or a prefix ending in {@code *}
 * @param shellCommand the shell command to run instead
 */
public record ImageCommand(String image, String shellCommand) {

  /** Parses {@code IMAGE=COMMAND}, the command-line form. */
  public static ImageCommand parse(String option) {
    int eq = option.indexOf('=');
    if (eq <= 0 || eq == option.length() - 1) {
      throw new IllegalArgumentException("expected IMAGE=COMMAND, got: " + option);
    }
    return new ImageCommand(option.substring(0, eq), option.substring(eq + 1));
  }

  /** Whether a task's image is mapped by this entry. */
  public boolean matches(String taskImage) {
    return image.endsWith("*")
        ? taskImage.startsWith(image.substring(0, image.length() - 1))
        : taskImage.equals(image);
  }
}
