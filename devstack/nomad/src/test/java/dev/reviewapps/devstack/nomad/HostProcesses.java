package dev.reviewapps.devstack.nomad;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** What runs on this host, read from {@code /proc}, for tests that check no process is left. */
final class HostProcesses {
  private HostProcesses() {}

  /** Whether the process exists and is not a zombie waiting to be reaped. */
  static boolean alive(long pid) {
    try {
      String stat =
          Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.UTF_8);
      char state = stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
      return state != 'Z' && state != 'X';
    } catch (IOException e) {
      return false;
    }
  }

  /** Reads a pid a task wrote into a file. */
  static long pidIn(Path file) throws IOException {
    return Long.parseLong(Files.readString(file, StandardCharsets.UTF_8).trim());
  }
}
