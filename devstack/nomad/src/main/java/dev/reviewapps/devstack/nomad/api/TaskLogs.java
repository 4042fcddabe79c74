package dev.reviewapps.devstack.nomad.api;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.reviewapps.devstack.http.Exchange;
import dev.reviewapps.devstack.http.HttpError;
import dev.reviewapps.devstack.http.Reply;
import dev.reviewapps.devstack.nomad.cluster.Cluster;
import dev.reviewapps.devstack.nomad.exec.AllocDir;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/**
 * {@code /v1/client/fs/logs/:alloc_id}: a task's stdout or stderr, whole or from an offset counted
 * from the start or the end ({@code origin}, {@code offset}). With {@code plain=true} the bytes
 * come as they are; otherwise as one of Nomad's JSON stream frames ({@code Data} in base64, {@code
 * File}, {@code Offset}). {@code follow} is answered with what exists now: the stand-in does not
 * keep the response open.
 */
final class TaskLogs {
  private final Cluster cluster;

  TaskLogs(Cluster cluster) {
    this.cluster = cluster;
  }

  Reply serve(Exchange e) throws IOException {
    String allocId = e.pathParam("id");
    String task =
        e.param("task")
            .filter(t -> !t.isEmpty())
            .orElseThrow(() -> new HttpError(400, "must include task name"));
    String type = e.param("type").orElse("");
    if (!type.equals("stdout") && !type.equals("stderr")) {
      throw new HttpError(400, "must include log type (stdout or stderr)");
    }
    String origin = e.param("origin").orElse("start");
    if (!origin.equals("start") && !origin.equals("end")) {
      throw new HttpError(400, "origin must be start or end");
    }
    long offset = e.param("offset").map(TaskLogs::parseOffset).orElse(0L);
    AllocDir dir =
        cluster
            .allocDir(allocId)
            .orElseThrow(() -> new HttpError(404, "Unknown allocation \"" + allocId + "\""));
    if (!Files.isDirectory(dir.task(task))) {
      throw new HttpError(404, "unknown task name \"" + task + "\"");
    }
    Path file = dir.log(task, type);
    byte[] data = new byte[0];
    long start = 0;
    if (Files.exists(file)) {
      try (RandomAccessFile in = new RandomAccessFile(file.toFile(), "r")) {
        long size = in.length();
        start = origin.equals("start") ? Math.min(offset, size) : Math.max(0, size - offset);
        data = new byte[(int) Math.min(Integer.MAX_VALUE - 8, size - start)];
        in.seek(start);
        in.readFully(data);
      }
    }
    if (e.param("plain").map(Boolean::parseBoolean).orElse(false)) {
      return Reply.of(200, "text/plain; charset=utf-8", data);
    }
    ObjectNode frame = JsonNodeFactory.instance.objectNode();
    frame.put("Data", Base64.getEncoder().encodeToString(data));
    frame.put("File", "alloc/logs/" + file.getFileName());
    frame.put("Offset", start + data.length);
    return Reply.json(200, frame.toString().getBytes(StandardCharsets.UTF_8));
  }

  private static long parseOffset(String text) {
    try {
      long value = Long.parseLong(text);
      if (value < 0) {
        throw new HttpError(400, "offset must be non-negative");
      }
      return value;
    } catch (NumberFormatException e) {
      throw new HttpError(400, "invalid offset \"" + text + "\"");
    }
  }
}
