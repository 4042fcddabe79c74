package dev.reviewapps.devstack.consul.api;

import dev.reviewapps.devstack.consul.acl.AclRules;
import dev.reviewapps.devstack.consul.state.Commit;
import dev.reviewapps.devstack.consul.state.ConsulState;
import dev.reviewapps.devstack.http.Handler;
import dev.reviewapps.devstack.http.ParkedWaiters;
import dev.reviewapps.devstack.http.Routes;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The Consul HTTP API of one stand-in: builds the routes over a {@link ConsulState} and owns the
 * parked blocking queries and the small pool that re-runs them when a commit wakes them.
 */
public final class ConsulApi implements AutoCloseable {
  private final ParkedWaiters<Commit> waiters = new ParkedWaiters<>("consul");
  private final ExecutorService wakeups;
  private final Routes routes;
  private final BlockingQuery blocking;

  /**
   * @param state the state to serve
   * @param acl the ACL rules, or empty for ACLs off
   * @param nodeName the one node's name (sessions belong to it)
   * @param datacenter the datacenter name, {@code dc1} by default
   * @param bindAddress the address shown as the leader's
   * @param sessionTtlMin Consul's {@code session_ttl_min}
   */
  public ConsulApi(
      ConsulState state,
      Optional<AclRules> acl,
      String nodeName,
      String datacenter,
      String bindAddress,
      Duration sessionTtlMin) {
    AtomicInteger count = new AtomicInteger();
    // Two threads re-run woken queries: enough to keep up with 2,000 watchers on two cores
    // without making the writer's thread do it.
    this.wakeups =
        Executors.newFixedThreadPool(
            2,
            r -> {
              Thread t = new Thread(r, "devstack-consul-wakeup-" + count.incrementAndGet());
              t.setDaemon(true);
              return t;
            });
    state.observe(waiters::changed);
    ConsulWire wire = new ConsulWire(acl, datacenter);
    // After close, a query still being parked runs its continuation itself rather than fail.
    Executor continuations =
        task -> {
          try {
            wakeups.execute(task);
          } catch (RejectedExecutionException stopped) {
            task.run();
          }
        };
    this.blocking = new BlockingQuery(waiters, continuations, wire, state::lastIndex);
    KvEndpoint kv = new KvEndpoint(state, wire, blocking);
    SessionEndpoint sessions = new SessionEndpoint(state, wire, blocking, nodeName, sessionTtlMin);
    TxnEndpoint txn = new TxnEndpoint(state, wire);
    AgentEndpoint agent =
        new AgentEndpoint(wire, nodeName, datacenter, bindAddress, waiters::parked);
    this.routes =
        new Routes()
            .get("/v1/kv/{key...}", kv::get)
            .put("/v1/kv/{key...}", Handler.sync(kv::put))
            .delete("/v1/kv/{key...}", Handler.sync(kv::delete))
            .put("/v1/txn", Handler.sync(txn::apply))
            .put("/v1/session/create", Handler.sync(sessions::create))
            .put("/v1/session/destroy/{id}", Handler.sync(sessions::destroy))
            .put("/v1/session/renew/{id}", Handler.sync(sessions::renew))
            .get("/v1/session/info/{id}", sessions::info)
            .get("/v1/session/node/{node}", sessions::node)
            .get("/v1/session/list", sessions::list)
            .get("/v1/status/leader", Handler.sync(agent::leader))
            .get("/v1/status/peers", Handler.sync(agent::peers))
            .get("/v1/agent/self", Handler.sync(agent::self))
            .get("/v1/agent/metrics", Handler.sync(agent::metrics))
            .get("/v1/catalog/datacenters", Handler.sync(agent::datacenters))
            .get("/v1/acl/token/self", Handler.sync(agent::tokenSelf));
  }

  /** The routes to serve. */
  public Routes routes() {
    return routes;
  }

  /** How many blocking queries are parked now. */
  public int parkedQueries() {
    return waiters.parked();
  }

  @Override
  public void close() {
    blocking.stop();
    waiters.changedAll();
    wakeups.shutdown();
    try {
      // Let the woken queries write their answers before the server stops.
      wakeups.awaitTermination(2, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    wakeups.shutdownNow();
    waiters.close();
  }
}
