/**
 * {@link dev.reviewapps.controller.leader.LeaderElection}: one controller process leads at a time,
 * on a Consul lock (a session and an acquired key).
 */
package dev.reviewapps.controller.leader;
