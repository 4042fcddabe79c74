package dev.reviewapps.consul;

import com.ecwid.consul.v1.OperationException;
import dev.reviewapps.tls.TlsFailure;
import java.util.function.Supplier;

/**
 * Turns consul-api's exceptions into {@link ConsulUnavailable} with a message of our own: the
 * operation, the status and Consul's short answer, never the request URL (it may carry a token).
 */
final class ConsulCalls {
  private ConsulCalls() {}

  private static final int MAX_ANSWER = 200;

  static <T> T call(String operation, Supplier<T> call) {
    try {
      return call.get();
    } catch (OperationException e) {
      throw new ConsulUnavailable(
          operation + ": Consul answered " + e.getStatusCode() + " " + shorten(e),
          e.getStatusCode());
    } catch (RuntimeException e) {
      // TransportException and friends: the cause's class says enough (timeout, refused...).
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      String why =
          TlsFailure.explain(e, "CONSUL")
              .orElseGet(() -> "Consul unreachable (" + cause.getClass().getSimpleName() + ")");
      throw new ConsulUnavailable(operation + ": " + why, 0);
    }
  }

  private static String shorten(OperationException e) {
    String answer = e.getStatusContent() == null ? "" : e.getStatusContent().strip();
    return answer.length() <= MAX_ANSWER ? answer : answer.substring(0, MAX_ANSWER) + "...";
  }
}
