package dev.reviewapps.model.naming;

import java.util.Locale;
import java.util.Objects;

/**
 * How a review app's host name is made from its name, e.g. {@code {name}.review.example.com}. The
 * placeholder {@code {name}} must appear exactly once and be a whole DNS label of its own, so that
 * every {@link AppName} (up to 60 characters) gives a valid host name; the other labels must be
 * valid DNS labels and the host at most 253 characters long.
 */
public record HostTemplate(String template) {

  /** What {@link #host} replaces by the app name. */
  public static final String PLACEHOLDER = "{name}";

  private static final int MAX_HOST_LENGTH = 253;

  /**
   * @throws IllegalArgumentException when the template does not satisfy the rules above; it comes
   *     from configuration, so failing at start-up is the right time.
   */
  public HostTemplate {
    Objects.requireNonNull(template, "template");
    String[] labels = template.toLowerCase(Locale.ROOT).split("\\.", -1);
    int placeholders = 0;
    for (String label : labels) {
      if (label.equals(PLACEHOLDER)) {
        placeholders++;
      } else if (!AppName.DNS_LABEL.matcher(label).matches()) {
        throw new IllegalArgumentException(
            "host template \""
                + template
                + "\": \""
                + label
                + "\" is not a DNS label (and {name} must be a whole label)");
      }
    }
    if (placeholders != 1) {
      throw new IllegalArgumentException(
          "host template \"" + template + "\" must contain " + PLACEHOLDER + " exactly once");
    }
    int longest = template.length() - PLACEHOLDER.length() + AppName.MAX_LENGTH;
    if (longest > MAX_HOST_LENGTH) {
      throw new IllegalArgumentException(
          "host template \"" + template + "\" makes hosts longer than 253 characters");
    }
  }

  /** The host name of the app, in lower case. */
  public String host(AppName name) {
    return template.toLowerCase(Locale.ROOT).replace(PLACEHOLDER, name.value());
  }
}
