package dev.reviewapps.reviewctl;

import com.hashicorp.nomad.apimodel.AllocationListStub;
import com.hashicorp.nomad.javasdk.NomadException;
import dev.reviewapps.client.view.NomadTasks;
import dev.reviewapps.tls.TlsFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.http.HttpHost;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code logs NAME web|worker|migrate|seed}: the task's stdout (or stderr) from Nomad's {@code
 * /v1/client/fs/logs}, of the newest allocation unless {@code --alloc} picks one. The request goes
 * to {@code NOMAD_ADDR}; a Nomad server forwards it to the client that runs the allocation.
 */
@Command(
    name = "logs",
    description =
        "Print a task's log from Nomad: the newest allocation of web, worker, migrate or seed.")
final class LogsCommand extends AppCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "The app.")
  String name;

  @Parameters(index = "1", paramLabel = "TASK", description = "web, worker, migrate or seed.")
  NomadTasks.Role role;

  @Option(names = "--stderr", description = "Standard error instead of standard output.")
  boolean stderr;

  @Option(
      names = "--alloc",
      paramLabel = "ID",
      description = "This allocation (full ID or a unique prefix) instead of the newest.")
  String alloc;

  @Override
  public Integer call() throws NomadException {
    try {
      return printLog();
    } catch (IOException e) {
      // Connection refused, timeout, reset: name the address, which is what is usually wrong.
      throw new CliError(
          "logs "
              + name
              + " "
              + role
              + ": Nomad at "
              + root().settings().nomad()
              + TlsFailure.explain(e, "NOMAD")
                  .map(why -> ": " + why)
                  .orElseGet(() -> " unreachable (" + e.getClass().getSimpleName() + ")"),
          e);
    }
  }

  private int printLog() throws IOException, NomadException {
    List<AllocationListStub> allocations =
        new NomadTasks(root().clients().nomad()).allocations(name, role);
    if (allocations.isEmpty()) {
      throw new CliError(
          "logs " + name + " " + role + ": Nomad has no " + role + " allocation for " + name);
    }
    AllocationListStub chosen = allocations.get(0);
    if (alloc != null) {
      List<AllocationListStub> matching =
          allocations.stream().filter(a -> a.getId().startsWith(alloc)).toList();
      if (matching.size() != 1) {
        throw new CliError(
            "logs "
                + name
                + " "
                + role
                + ": "
                + (matching.isEmpty() ? "no" : "more than one")
                + " "
                + role
                + " allocation matches "
                + alloc);
      }
      chosen = matching.get(0);
    }
    HttpHost nomadHost = HttpHost.create(root().settings().nomad());
    try (InputStream log =
        root()
            .clients()
            .nomad()
            .getClientApi(nomadHost)
            .logs(chosen.getId(), role.name(), false, stderr ? "stderr" : "stdout")) {
      log.transferTo(out());
    }
    out().flush();
    return ExitCode.OK;
  }
}
