package dev.reviewapps.devstack.consul.state;

/**
 * Why one operation of a transaction failed.
 *
 * @param opIndex the position of the operation in the transaction
 * @param what Consul's message for it
 * @param refused true when the operation was well-formed but lost (a stale CAS, a held lock, a
 *     lock-delay): a single-key {@code PUT} answers {@code false} then; false for errors (an
 *     unknown session), which a single-key request answers with {@code 500}
 */
public record OpFailure(int opIndex, String what, boolean refused) {}
