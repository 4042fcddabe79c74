package dev.reviewapps.devstack.nomad;

import dev.reviewapps.devstack.nomad.exec.ImageCommand;
import dev.reviewapps.tls.ServerTls;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * How to run the stand-in.
 *
 * @param host the address to bind, and the address tasks' ports are reported on
 * @param port the HTTP port, 0 for a free one
 * @param cpuMhz the node's schedulable CPU
 * @param memoryMb the node's schedulable memory
 * @param minDynamicPort lowest port handed out to dynamic ports
 * @param maxDynamicPort highest port handed out to dynamic ports
 * @param dataDir where allocation directories go; a fresh temporary directory if empty (and then
 *     deleted on close)
 * @param images docker images to run as raw_exec commands, see {@link ImageCommand}
 * @param datacenter the node's datacenter
 * @param shutdownGrace how long {@code close()} waits for tasks to end after the kill signal
 * @param tls when present, HTTPS only (and client certificates if it names a client CA)
 */
public record NomadConfig(
    String host,
    int port,
    int cpuMhz,
    int memoryMb,
    int minDynamicPort,
    int maxDynamicPort,
    Optional<Path> dataDir,
    List<ImageCommand> images,
    String datacenter,
    Duration shutdownGrace,
    Optional<ServerTls> tls) {

  public NomadConfig {
    images = List.copyOf(images);
    if (cpuMhz < 1 || memoryMb < 1) {
      throw new IllegalArgumentException("the node needs some CPU and memory");
    }
  }

  /** Loopback, a free port, 8000 MHz, 8192 MB, dynamic ports 20000-32000 as Nomad's default. */
  public static NomadConfig defaults() {
    return new NomadConfig(
        "127.0.0.1",
        0,
        8000,
        8192,
        20000,
        32000,
        Optional.empty(),
        List.of(),
        "dc1",
        Duration.ofSeconds(10),
        Optional.empty());
  }

  /** A builder starting from these settings. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** Changes some settings of a {@link NomadConfig}; unset ones keep their value. */
  public static final class Builder {
    private String host;
    private int port;
    private int cpuMhz;
    private int memoryMb;
    private int minDynamicPort;
    private int maxDynamicPort;
    private Optional<Path> dataDir;
    private List<ImageCommand> images;
    private String datacenter;
    private Duration shutdownGrace;
    private Optional<ServerTls> tls;

    private Builder(NomadConfig from) {
      host = from.host;
      port = from.port;
      cpuMhz = from.cpuMhz;
      memoryMb = from.memoryMb;
      minDynamicPort = from.minDynamicPort;
      maxDynamicPort = from.maxDynamicPort;
      dataDir = from.dataDir;
      images = from.images;
      datacenter = from.datacenter;
      shutdownGrace = from.shutdownGrace;
      tls = from.tls;
    }

    public Builder host(String value) {
      host = value;
      return this;
    }

    public Builder port(int value) {
      port = value;
      return this;
    }

    public Builder cpuMhz(int value) {
      cpuMhz = value;
      return this;
    }

    public Builder memoryMb(int value) {
      memoryMb = value;
      return this;
    }

    public Builder dynamicPorts(int min, int max) {
      minDynamicPort = min;
      maxDynamicPort = max;
      return this;
    }

    public Builder dataDir(Path value) {
      dataDir = Optional.of(value);
      return this;
    }

    public Builder images(List<ImageCommand> value) {
      images = value;
      return this;
    }

    public Builder datacenter(String value) {
      datacenter = value;
      return this;
    }

    public Builder shutdownGrace(Duration value) {
      shutdownGrace = value;
      return this;
    }

    public Builder tls(Optional<ServerTls> value) {
      tls = value;
      return this;
    }

    public NomadConfig build() {
      return new NomadConfig(
          host,
          port,
          cpuMhz,
          memoryMb,
          minDynamicPort,
          maxDynamicPort,
          dataDir,
          images,
          datacenter,
          shutdownGrace,
          tls);
    }
  }
}
