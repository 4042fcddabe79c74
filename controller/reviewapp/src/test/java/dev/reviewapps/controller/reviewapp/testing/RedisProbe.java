package dev.reviewapps.controller.reviewapp.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/** Inline Redis commands on one connection, for tests that look at an app's Redis. */
public final class RedisProbe {
  private RedisProbe() {}

  /** Sends each command in turn on one new connection and returns the first line of each answer. */
  public static List<String> send(String address, String... commands) throws Exception {
    int colon = address.lastIndexOf(':');
    try (Socket socket =
        new Socket(address.substring(0, colon), Integer.parseInt(address.substring(colon + 1)))) {
      socket.setSoTimeout(5000);
      OutputStream out = socket.getOutputStream();
      BufferedReader in =
          new BufferedReader(
              new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
      List<String> answers = new ArrayList<>();
      for (String command : commands) {
        out.write((command + "\r\n").getBytes(StandardCharsets.US_ASCII));
        String first = in.readLine();
        answers.add(first);
        if (first != null && first.startsWith("$") && !first.equals("$-1")) {
          answers.set(answers.size() - 1, in.readLine());
        }
      }
      return answers;
    }
  }
}
