package dev.reviewapps.router.it;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real nginx running the router from {@code lua-router/conf/nginx.conf.template} in its own
 * directory, on free loopback ports. Stopped by PID, master and workers, in {@link #close()}.
 */
final class NginxRouter implements AutoCloseable {
  static final String DOMAIN = "review.test";
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  private final Path dir;
  private final int port;
  private final int statusPort;
  private final Map<String, String> env;
  private volatile long masterPid;

  private NginxRouter(Path dir, int port, int statusPort, Map<String, String> env) {
    this.dir = dir;
    this.port = port;
    this.statusPort = statusPort;
    this.env = env;
  }

  /** The checkout's {@code lua-router/} folder. */
  static Path routerDir() {
    return Path.of(System.getProperty("router.dir", "..")).toAbsolutePath().normalize();
  }

  /**
   * Writes the configuration (defaults for tests merged with {@code settings}) and starts nginx.
   * The router's own ports are listed as self addresses, as the README asks.
   */
  static NginxRouter start(Path dir, int consulPort, Map<String, Object> settings)
      throws IOException {
    return start(dir, consulPort, settings, Map.of());
  }

  /** As above, with extra environment for nginx (e.g. {@code CONSUL_HTTP_TOKEN}). */
  static NginxRouter start(
      Path dir, int consulPort, Map<String, Object> settings, Map<String, String> env)
      throws IOException {
    NginxRouter router = new NginxRouter(dir, freePort(), freePort(), env);
    Map<String, Object> conf = new LinkedHashMap<>();
    conf.put("consul", "127.0.0.1:" + consulPort);
    conf.put("domains", List.of(DOMAIN));
    conf.put("allow_loopback", true);
    conf.put(
        "self_addresses", List.of("127.0.0.1:" + router.port, "127.0.0.1:" + router.statusPort));
    conf.put("snapshot_path", dir.resolve("state/routes.json").toString());
    conf.put("watch_wait_seconds", 20);
    conf.put("retry_after_seconds", 7);
    conf.putAll(settings);
    Files.createDirectories(dir.resolve("logs"));
    Files.createDirectories(dir.resolve("tmp"));
    Path state = Files.createDirectories(dir.resolve("state"));
    giveToWorkerUser(state);
    Files.writeString(dir.resolve("router.json"), JSON.writeValueAsString(conf));
    router.render();
    try {
      router.launch();
    } catch (IOException | RuntimeException e) {
      // Started but never answered: the caller gets no handle to close, so stop it here.
      router.stop();
      throw e;
    }
    return router;
  }

  /** Starts nginx again in the same directory, ports and configuration (a restart). */
  void launch() throws IOException {
    run(List.of("nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString()));
    Path pidFile = dir.resolve("logs/nginx.pid");
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> Files.exists(pidFile) && !Files.readString(pidFile).isBlank());
    masterPid = Long.parseLong(Files.readString(pidFile).trim());
    await().atMost(Duration.ofSeconds(10)).until(() -> statusCode("/router-status") == 200);
  }

  private void render() throws IOException {
    ProcessBuilder pb =
        new ProcessBuilder(routerDir().resolve("bin/render-conf").toString())
            .redirectOutput(dir.resolve("nginx.conf").toFile())
            .redirectError(ProcessBuilder.Redirect.INHERIT);
    Map<String, String> env = pb.environment();
    env.put("ROUTER_CONFIG", dir.resolve("router.json").toString());
    env.put("ROUTER_LISTEN", "127.0.0.1:" + port);
    env.put("ROUTER_STATUS_LISTEN", "127.0.0.1:" + statusPort);
    env.put("ROUTER_WORKERS", "2");
    env.put("ROUTER_LOG_LEVEL", "info");
    // Short, so the reload test proves the bound without waiting long for it.
    env.put("ROUTER_SHUTDOWN_TIMEOUT", "1s");
    env.put("ROUTER_LUA_DIR", routerDir().resolve("lua").toString());
    // CONSUL_CACERT becomes lua_ssl_trusted_certificate: only the one a test hands over.
    env.keySet().removeIf(k -> k.startsWith("CONSUL_"));
    this.env.forEach(
        (k, v) -> {
          if (k.startsWith("ROUTER_") || k.startsWith("CONSUL_")) {
            env.put(k, v);
          }
        });
    waitFor(pb.start(), "render-conf");
  }

  /** {@code nginx -s reload}. */
  void reload() throws IOException {
    run(
        List.of(
            "nginx", "-p", dir + "/", "-c", dir.resolve("nginx.conf").toString(), "-s", "reload"));
  }

  List<Long> workerPids() {
    return ProcessHandle.of(masterPid).stream()
        .flatMap(ProcessHandle::children)
        .map(ProcessHandle::pid)
        .toList();
  }

  /** Stops master and workers (SIGTERM, then SIGKILL after a bound) and waits for them. */
  void stop() {
    ProcessHandle.of(masterPid)
        .ifPresent(
            master -> {
              List<ProcessHandle> all =
                  Stream.concat(Stream.of(master), master.descendants()).toList();
              master.destroy();
              try {
                await()
                    .atMost(Duration.ofSeconds(10))
                    .until(() -> all.stream().allMatch(NginxRouter::exited));
              } catch (org.awaitility.core.ConditionTimeoutException e) {
                all.forEach(ProcessHandle::destroyForcibly);
              }
            });
  }

  /**
   * Exited, or a zombie: it holds no socket or file any more. The daemonized master's parent is PID
   * 1, which may reap it only later, and until then ProcessHandle calls it alive.
   */
  private static boolean exited(ProcessHandle p) {
    if (!p.isAlive()) {
      return true;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + p.pid() + "/stat"));
      return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
    } catch (IOException e) {
      return true;
    }
  }

  @Override
  public void close() {
    stop();
  }

  int port() {
    return port;
  }

  int statusPort() {
    return statusPort;
  }

  Path dir() {
    return dir;
  }

  /** nginx's error log, for assertions and for failure messages. */
  String errorLog() {
    Path log = dir.resolve("logs/error.log");
    try {
      return Files.exists(log) ? Files.readString(log) : "";
    } catch (IOException e) {
      return "(cannot read " + log + ": " + e + ")";
    }
  }

  HttpResponse<String> get(String host, String path) throws IOException, InterruptedException {
    return send(host, path, Map.of());
  }

  /** A GET with extra request headers. */
  HttpResponse<String> send(String host, String path, Map<String, String> headers)
      throws IOException, InterruptedException {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Host", host)
            .timeout(Duration.ofSeconds(10));
    headers.forEach(request::header);
    return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  HttpResponse<String> get(String host) throws IOException, InterruptedException {
    return get(host, "/");
  }

  /**
   * Sends the Host header bytes exactly as given (the JDK client would refuse some of them) and
   * returns the status code nginx answers.
   */
  int rawStatus(byte[] hostHeaderValue) throws IOException {
    return rawStatus("/", hostHeaderValue);
  }

  /** As above, with the request target given too (e.g. absolute-form {@code http://h/}). */
  int rawStatus(String target, byte[] hostHeaderValue) throws IOException {
    try (Socket socket = connect()) {
      OutputStream out = socket.getOutputStream();
      out.write(("GET " + target + " HTTP/1.1\r\nHost: ").getBytes(StandardCharsets.US_ASCII));
      out.write(hostHeaderValue);
      out.write("\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = socket.getInputStream();
      String head = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
      return Integer.parseInt(head.substring(9, 12));
    }
  }

  /** A plain connection to the public listener, for requests the JDK client would not send. */
  Socket connect() throws IOException {
    Socket socket = new Socket();
    try {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
      socket.setSoTimeout(5000);
      return socket;
    } catch (IOException e) {
      socket.close();
      throw e;
    }
  }

  JsonNode status() throws IOException, InterruptedException {
    return JSON.readTree(internal("/router-status").body());
  }

  String metrics() throws IOException, InterruptedException {
    return internal("/metrics").body();
  }

  private HttpResponse<String> internal(String path) throws IOException, InterruptedException {
    return HTTP.send(
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + statusPort + path))
            .timeout(Duration.ofSeconds(10))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private int statusCode(String path) {
    try {
      return internal(path).statusCode();
    } catch (IOException e) {
      return -1;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /**
   * nginx started as root runs its workers as nobody; the snapshot directory must be theirs.
   * Started as another user, the workers are that user and nothing needs changing.
   */
  private static void giveToWorkerUser(Path state) throws IOException {
    if (!"root".equals(System.getProperty("user.name"))) {
      return;
    }
    UserPrincipal nobody =
        state.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(state, nobody);
    // JUnit's temporary directories are 0700; the workers need to pass through them (o+x only).
    for (Path p = state.getParent(); p != null; p = p.getParent()) {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      if (perms.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(p, perms);
      }
    }
  }

  private void run(List<String> command) throws IOException {
    ProcessBuilder pb = new ProcessBuilder(command).redirectErrorStream(true);
    // Only the token, address and TLS settings a test hands over, never the build's own.
    pb.environment().keySet().removeIf(k -> k.startsWith("CONSUL_"));
    pb.environment().putAll(env);
    Process p = pb.start();
    String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    int code = waitFor(p, String.join(" ", command));
    if (code != 0) {
      throw new IOException(String.join(" ", command) + " failed: " + output + "\n" + errorLog());
    }
  }

  private static int waitFor(Process p, String what) throws IOException {
    try {
      if (!p.waitFor(20, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new IOException(what + " did not finish");
      }
      return p.exitValue();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException(e);
    }
  }
}
