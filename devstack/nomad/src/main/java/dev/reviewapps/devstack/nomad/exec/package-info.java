/**
 * Running tasks for real: {@link dev.reviewapps.devstack.nomad.exec.AllocRunner} runs the tasks of
 * one allocation in lifecycle order, each as a local process in its own session and process group
 * ({@code setsid}), with Nomad's environment, restart policy and kill sequence (signal, {@code
 * KillTimeout}, then {@code SIGKILL} to every process left in the session).
 */
package dev.reviewapps.devstack.nomad.exec;
