/**
 * HTTP plumbing shared by the devstack stand-ins: a Jetty server with a small method-and-path
 * router ({@link dev.reviewapps.devstack.http.StandInServer}), request and reply values, and {@link
 * dev.reviewapps.devstack.http.ParkedWaiters} for blocking queries that hold no thread while they
 * wait.
 */
package dev.reviewapps.devstack.http;
