package dev.reviewapps.devstack.nomad.job;

import java.util.List;

/** A submitted job that Nomad would refuse; the message lists every problem as Nomad does. */
public final class InvalidJobException extends Exception {
  private static final long serialVersionUID = 1L;

  public InvalidJobException(List<String> problems) {
    super(format(problems));
  }

  /** Nomad's multierror text: a count line, then one bullet per problem. */
  private static String format(List<String> problems) {
    StringBuilder text =
        new StringBuilder()
            .append(problems.size())
            .append(problems.size() == 1 ? " error occurred:\n" : " errors occurred:\n");
    problems.forEach(p -> text.append("\t* ").append(p).append('\n'));
    return text.append('\n').toString();
  }
}
