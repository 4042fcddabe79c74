package dev.reviewapps.devstack.aws;

import dev.reviewapps.devstack.aws.autoscaling.AutoScalingService;
import dev.reviewapps.devstack.aws.faults.FaultOutcome;
import dev.reviewapps.devstack.aws.faults.Faults;
import dev.reviewapps.devstack.aws.faults.FaultsEndpoint;
import dev.reviewapps.devstack.aws.postgres.DatabaseBacking;
import dev.reviewapps.devstack.aws.postgres.PostgresServer;
import dev.reviewapps.devstack.aws.protocol.AwsError;
import dev.reviewapps.devstack.aws.protocol.QueryParams;
import dev.reviewapps.devstack.aws.protocol.QueryProtocol;
import dev.reviewapps.devstack.aws.protocol.QueryService;
import dev.reviewapps.devstack.aws.rds.RdsService;
import dev.reviewapps.devstack.aws.s3.S3Service;
import dev.reviewapps.devstack.aws.sigv4.SignatureCheck;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.Reply;
import dev.reviewapps.devstack.http.Routes;
import dev.reviewapps.devstack.http.StandInServer;
import java.io.IOException;
import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * RDS, Auto Scaling and S3 on one HTTP endpoint, as LocalStack serves them: Query-protocol requests
 * ({@code POST /} with {@code Action=}) go to RDS or Auto Scaling by their {@code Version},
 * everything else is path-style S3.
 *
 * <pre>{@code
 * try (AwsStandIn aws = AwsStandIn.start(AwsConfig.forTests())) {
 *   RdsClient rds = RdsClient.builder().endpointOverride(aws.endpoint())
 *       .region(Region.US_EAST_1).credentialsProvider(...).build();
 *   aws.faults().set(FaultRule.throttle("rds:CreateDBInstance").times(2));
 * }
 * }</pre>
 */
public final class AwsStandIn implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(AwsStandIn.class);

  private final AwsConfig config;
  private final Map<String, QueryService> queryServices = new LinkedHashMap<>();
  private final S3Service s3;
  private final Faults faults;
  private final FaultsEndpoint faultsEndpoint;
  private final Optional<SignatureCheck> signatures;
  private final ScheduledExecutorService lifecycle;
  private final ScheduledExecutorService delays;
  private StandInServer server;

  private AwsStandIn(AwsConfig config, DatabaseBacking backing) {
    this.config = config;
    this.lifecycle = daemonScheduler("devstack-aws-lifecycle");
    this.delays = daemonScheduler("devstack-aws-latency");
    Clock clock = Clock.systemUTC();
    RdsService rds =
        new RdsService(
            config.region(), config.accountId(), config.rdsTiming(), lifecycle, backing, clock);
    AutoScalingService autoScaling =
        new AutoScalingService(
            config.region(), config.accountId(), config.autoScalingTiming(), lifecycle, clock);
    queryServices.put(rds.apiVersion(), rds);
    queryServices.put(autoScaling.apiVersion(), autoScaling);
    this.s3 = new S3Service(config.region(), clock);
    this.faults = new Faults(config.faultSeed());
    this.faultsEndpoint = new FaultsEndpoint(faults);
    this.signatures =
        config.credentials().isEmpty()
            ? Optional.empty()
            : Optional.of(new SignatureCheck(config.credentials()));
  }

  /**
   * Starts the stand-in.
   *
   * @throws IOException when the port cannot be bound
   * @throws IllegalStateException when a configured PostgreSQL server cannot be reached
   */
  public static AwsStandIn start(AwsConfig config) throws IOException {
    DatabaseBacking backing = new DatabaseBacking.None();
    if (config.postgresUrl().isPresent()) {
      PostgresServer postgres = PostgresServer.at(config.postgresUrl().get());
      postgres.check();
      backing = postgres;
    }
    AwsStandIn standIn = new AwsStandIn(config, backing);
    Routes routes = new Routes().on("*", "/{path...}", standIn::handle);
    standIn.server =
        StandInServer.start("aws", config.host(), config.port(), routes, UnaryOperator.identity());
    log.info("aws stand-in started: {}", config);
    return standIn;
  }

  /** The endpoint to give the SDK clients' {@code endpointOverride}. */
  public URI endpoint() {
    return URI.create(server.baseUrl());
  }

  public int port() {
    return server.port();
  }

  /** The fault rules; changes apply to the next call. */
  public Faults faults() {
    return faults;
  }

  public AwsConfig config() {
    return config;
  }

  @Override
  public void close() {
    server.close();
    lifecycle.shutdownNow();
    delays.shutdownNow();
  }

  private CompletableFuture<Reply> handle(Exchange e) throws IOException {
    String requestId = UUID.randomUUID().toString();
    if (e.path().equals(FaultsEndpoint.PATH) || e.path().startsWith(FaultsEndpoint.PATH + "/")) {
      return CompletableFuture.completedFuture(faultsEndpoint.handle(e));
    }
    if (e.path().equals("/_devstack/health")) {
      return CompletableFuture.completedFuture(Reply.text(200, "ok"));
    }
    return isQuery(e) ? query(e, requestId) : s3(e, requestId);
  }

  /** A Query-protocol call: a form POST to the root with {@code Action=}, or a GET with it. */
  private static boolean isQuery(Exchange e) {
    if (!e.path().equals("/")) {
      return false;
    }
    if (e.method().equals("GET")) {
      return e.hasParam("Action");
    }
    return e.method().equals("POST")
        && e.header("content-type").orElse("").startsWith("application/x-www-form-urlencoded");
  }

  private CompletableFuture<Reply> query(Exchange e, String requestId) {
    Map<String, String> fromUrl = new LinkedHashMap<>();
    e.query().forEach((k, v) -> fromUrl.put(k, v.get(0)));
    QueryParams params =
        e.method().equals("GET") ? QueryParams.of(fromUrl) : QueryParams.parseForm(e.bodyText());
    Optional<QueryService> service =
        params
            .get("Version")
            .map(queryServices::get)
            .or(
                () ->
                    SignatureCheck.scopeService(e)
                        .flatMap(
                            name ->
                                queryServices.values().stream()
                                    .filter(s -> s.signingName().equals(name))
                                    .findFirst()));
    String namespace = service.map(QueryService::namespace).orElse("");
    try {
      if (service.isEmpty()) {
        throw AwsError.invalidParameter(
            "devstack serves RDS (2014-10-31) and Auto Scaling (2011-01-01); unknown Version "
                + params.get("Version").orElse("(none)"));
      }
      String action = params.required("Action");
      signatures.ifPresent(check -> check.verify(e, false));
      FaultOutcome outcome = faults.decide(service.get().signingName(), action);
      return delayed(
          outcome,
          () -> {
            try {
              injected(outcome, false);
              return service.get().handle(action, params, requestId);
            } catch (AwsError error) {
              return QueryProtocol.error(namespace, error, requestId);
            } catch (RuntimeException bug) {
              return QueryProtocol.error(namespace, internal(bug, false), requestId);
            }
          });
    } catch (AwsError error) {
      return CompletableFuture.completedFuture(QueryProtocol.error(namespace, error, requestId));
    }
  }

  private CompletableFuture<Reply> s3(Exchange e, String requestId) {
    boolean head = e.method().equals("HEAD");
    try {
      signatures.ifPresent(check -> check.verify(e, true));
      FaultOutcome outcome = faults.decide("s3", S3Service.operation(e));
      return delayed(
          outcome,
          () -> {
            try {
              injected(outcome, true);
              return s3.handle(e, requestId);
            } catch (AwsError error) {
              return S3Service.error(error, requestId, head);
            } catch (RuntimeException bug) {
              return S3Service.error(internal(bug, true), requestId, head);
            }
          });
    } catch (AwsError error) {
      return CompletableFuture.completedFuture(S3Service.error(error, requestId, head));
    }
  }

  /** A stand-in bug, answered as the service answers its own failures. */
  private static AwsError internal(RuntimeException bug, boolean s3) {
    log.warn("request failed inside the stand-in", bug);
    return serverError(500, s3);
  }

  /** Throws the error a fault rule decided on, worded as the service words it. */
  private static void injected(FaultOutcome outcome, boolean s3) {
    if (outcome instanceof FaultOutcome.Throttle) {
      throw s3
          ? new AwsError(503, "SlowDown", "Please reduce your request rate.")
          : new AwsError(400, "Throttling", "Rate exceeded");
    }
    if (outcome instanceof FaultOutcome.ServerError error) {
      throw serverError(error.status(), s3);
    }
  }

  private static AwsError serverError(int status, boolean s3) {
    if (status == 503) {
      return new AwsError(
          503,
          "ServiceUnavailable",
          s3 ? "Please reduce your request rate." : "Service is unavailable. Try again later.");
    }
    return s3
        ? new AwsError(500, "InternalError", "We encountered an internal error. Please try again.")
        : new AwsError(
            500,
            "InternalFailure",
            "The request processing has failed because of an unknown error, exception or"
                + " failure.");
  }

  /** Answers after the outcome's latency without holding a thread while it waits. */
  private CompletableFuture<Reply> delayed(
      FaultOutcome outcome, java.util.function.Supplier<Reply> answer) {
    long millis = outcome.latency().toMillis();
    if (millis <= 0) {
      return CompletableFuture.completedFuture(answer.get());
    }
    CompletableFuture<Reply> reply = new CompletableFuture<>();
    delays.schedule(
        () -> {
          try {
            reply.complete(answer.get());
          } catch (RuntimeException ex) {
            reply.completeExceptionally(ex);
          }
        },
        millis,
        TimeUnit.MILLISECONDS);
    return reply;
  }

  /**
   * One thread each: lifecycle tasks run in order, which keeps an instance's real database work
   * (create, then drop) in the order the API calls asked for it.
   */
  private static ScheduledExecutorService daemonScheduler(String name) {
    ScheduledThreadPoolExecutor executor =
        new ScheduledThreadPoolExecutor(
            1,
            r -> {
              Thread t = new Thread(r, name);
              t.setDaemon(true);
              return t;
            });
    executor.setRemoveOnCancelPolicy(true);
    return executor;
  }
}
