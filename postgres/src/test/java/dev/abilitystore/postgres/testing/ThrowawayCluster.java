package dev.abilitystore.postgres.testing;

import static java.nio.charset.StandardCharsets.UTF_8;

import dev.abilitystore.postgres.PostgresConfig;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of a test's own, for what cannot be done to the server every other test
 * shares: TLS on, or the server stopped and started for real. Made with the installed server's
 * {@code initdb} and {@code pg_ctl} in a temporary directory, listening on {@code localhost} at a
 * free port (kept across {@link #stop} and {@link #start}), with trust authentication; stopped and
 * deleted by {@link #close()}. With TLS, a self-signed certificate (made by {@code openssl}) for
 * {@code DNS:localhost} only. As root it runs the server as {@code postgres} (PostgreSQL refuses
 * root). When a piece is missing the calling test is skipped, saying which.
 *
 * <p>Thread-safe.
 */
public final class ThrowawayCluster implements AutoCloseable {
  private static final long COMMAND_TIMEOUT_SECONDS = 120;

  /** How {@link #stop} shuts the server down: {@code pg_ctl}'s modes. */
  public enum StopMode {
    /** Waits for every client to disconnect. */
    SMART,
    /** Rolls back open transactions and disconnects the clients. */
    FAST,
    /** Kills every server process without a checkpoint, as a crash: the next start recovers from the WAL. */
    IMMEDIATE
  }

  private final Path directory;
  private final Path bin;
  private final boolean asPostgres;
  private final boolean tls;
  private final int port;
  private boolean running;

  private ThrowawayCluster(Path directory, Path bin, boolean asPostgres, boolean tls, int port) {
    this.directory = directory;
    this.bin = bin;
    this.asPostgres = asPostgres;
    this.tls = tls;
    this.port = port;
  }

  /** Makes and starts a cluster without TLS, or skips the test when this machine cannot. */
  public static ThrowawayCluster create() {
    return create(false);
  }

  /** Makes and starts a cluster with TLS on, or skips the test when this machine cannot. */
  public static ThrowawayCluster createWithTls() {
    return create(true);
  }

  private static ThrowawayCluster create(boolean tls) {
    Path bin = serverBinaries().orElse(null);
    Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl) found");
    Assumptions.assumeTrue(!tls || onPath("openssl"), "no openssl to make a certificate with");
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(!root || onPath("runuser"), "running as root without runuser: cannot start PostgreSQL");
    Path directory;
    try {
      directory = Files.createTempDirectory(tls ? "abilitystore-tls-" : "abilitystore-cluster-");
    } catch (IOException e) {
      throw new UncheckedIOException("cannot make a directory for a throwaway PostgreSQL cluster", e);
    }
    ThrowawayCluster cluster = new ThrowawayCluster(directory, bin, root, tls, freePort());
    try {
      cluster.make();
      cluster.start();
      return cluster;
    } catch (RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void make() {
    if (tls) {
      run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
          "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", file("server.key"), "-out",
          file("server.crt")), false);
      run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
          "/CN=someone-else", "-keyout", file("other.key"), "-out", file("other.crt")), false);
    }
    try {
      if (tls) {
        Files.setPosixFilePermissions(directory.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
      }
      if (asPostgres) {
        Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
        UserPrincipal postgres = FileSystems.getDefault().getUserPrincipalLookupService()
            .lookupPrincipalByName("postgres");
        try (Stream<Path> files = Files.walk(directory)) {
          for (Path path : files.toList()) {
            Files.setOwner(path, postgres);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot hand " + directory + " to the postgres user", e);
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", file("data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
        "--no-sync"), asPostgres);
  }

  /** Starts the server, on the same port as before; returns once it accepts connections. */
  public synchronized void start() {
    if (running) {
      throw new IllegalStateException("the throwaway cluster on port " + port + " runs already");
    }
    String options = "-p " + port + " -c listen_addresses=localhost -c unix_socket_directories=" + directory
        + " -c fsync=off";
    if (tls) {
      options += " -c ssl=on -c ssl_cert_file=" + file("server.crt") + " -c ssl_key_file=" + file("server.key");
    }
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", file("data"), "-l", file("server.log"), "-w", "-t", "60",
        "-o", options, "start"), asPostgres);
    running = true;
  }

  /** Stops the server in {@code mode}; returns once every server process has ended. */
  public synchronized void stop(StopMode mode) {
    if (!running) {
      throw new IllegalStateException("the throwaway cluster on port " + port + " is stopped already");
    }
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", file("data"), "-m", mode.name().toLowerCase(Locale.ROOT),
        "-w", "-t", "60", "stop"), asPostgres);
    running = false;
  }

  /** True between {@link #start} and {@link #stop}. */
  public synchronized boolean running() {
    return running;
  }

  /** The server's port on localhost. */
  public int port() {
    return port;
  }

  /** The configuration of the maintenance database {@code postgres}, as user {@code postgres}, on 127.0.0.1. */
  public PostgresConfig config() {
    return PostgresConfig.builder("postgres").hosts(List.of("127.0.0.1:" + port)).user("postgres").build();
  }

  /** The server's certificate, which is its own CA. */
  public Path certificate() {
    requireTls();
    return directory.resolve("server.crt");
  }

  /** Another self-signed certificate, which did not sign the server's. */
  public Path otherCertificate() {
    requireTls();
    return directory.resolve("other.crt");
  }

  private void requireTls() {
    if (!tls) {
      throw new IllegalStateException("this throwaway cluster has no TLS: make it with createWithTls()");
    }
  }

  /** Stops the server (immediately) if it runs and deletes the cluster's directory. */
  @Override
  public synchronized void close() {
    try {
      if (running) {
        stop(StopMode.IMMEDIATE);
      }
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot delete the throwaway cluster in " + directory, e);
      }
    }
  }

  private String file(String name) {
    return directory.resolve(name).toString();
  }

  private void run(List<String> command, boolean asPostgresUser) {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    try {
      Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
      byte[] output = process.getInputStream().readAllBytes();
      if (!process.waitFor(COMMAND_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new IllegalStateException(String.join(" ", full) + " did not end within " + COMMAND_TIMEOUT_SECONDS
            + " s" + serverLog());
      }
      if (process.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", full) + " failed: " + new String(output, UTF_8) + serverLog());
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot run " + String.join(" ", full), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while running " + String.join(" ", full), e);
    }
  }

  private String serverLog() throws IOException {
    Path log = directory.resolve("server.log");
    return Files.exists(log) ? "\n" + Files.readString(log) : "";
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean onPath(String program) {
    String path = System.getenv("PATH");
    if (path == null) {
      return false;
    }
    for (String entry : path.split(File.pathSeparator)) {
      if (Files.isExecutable(Path.of(entry, program))) {
        return true;
      }
    }
    return false;
  }

  /** The newest installed server's binaries: Debian's /usr/lib/postgresql/N/bin, else initdb on the PATH. */
  private static Optional<Path> serverBinaries() {
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        Optional<Path> newest = versions.map(version -> version.resolve("bin"))
            .filter(bin -> Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl")))
            .max(Comparator.comparingInt(ThrowawayCluster::version));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    for (String entry : path == null ? new String[0] : path.split(File.pathSeparator)) {
      Path bin = Path.of(entry);
      if (Files.isExecutable(bin.resolve("initdb")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
        return Optional.of(bin);
      }
    }
    return Optional.empty();
  }

  private static int version(Path bin) {
    @Nullable Path version = bin.getParent().getFileName();
    try {
      return version == null ? 0 : Integer.parseInt(version.toString());
    } catch (NumberFormatException e) {
      return 0;
    }
  }
}
