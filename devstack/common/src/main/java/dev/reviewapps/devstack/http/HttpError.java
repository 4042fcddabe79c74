package dev.reviewapps.devstack.http;

/**
 * Thrown by a handler to answer with an error status and a plain-text body, the way Consul and
 * Nomad answer most bad requests. Stand-ins with other error shapes (AWS XML) catch their own.
 */
public final class HttpError extends RuntimeException {
  private static final long serialVersionUID = 1L;
  private final transient Reply reply;

  public HttpError(int status, String message) {
    this(Reply.text(status, message));
  }

  public HttpError(Reply reply) {
    super("HTTP " + reply.status(), null, false, false);
    this.reply = reply;
  }

  public Reply reply() {
    return reply;
  }
}
