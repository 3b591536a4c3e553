package dev.abilitystore.postgres;

import static java.nio.charset.StandardCharsets.UTF_8;

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
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;

/**
 * A PostgreSQL cluster of its own with TLS on, for {@link TlsTest}: made with the installed
 * server's {@code initdb} and {@code pg_ctl} in a temporary directory, listening on
 * {@code localhost} at a free port, with a self-signed certificate (made by {@code openssl}) for
 * {@code DNS:localhost} only, trust authentication, and stopped and deleted by {@link #close()}.
 * The shared test server is left alone. As root it runs the server as {@code postgres} (PostgreSQL
 * refuses root). When a piece is missing the calling test is skipped, saying which.
 */
final class ThrowawayTlsCluster implements AutoCloseable {
  private final Path directory;
  private final Path bin;
  private final boolean asPostgres;
  private final int port;
  private boolean started;

  private ThrowawayTlsCluster(Path directory, Path bin, boolean asPostgres, int port) {
    this.directory = directory;
    this.bin = bin;
    this.asPostgres = asPostgres;
    this.port = port;
  }

  /** Makes and starts the cluster, or skips the test when this machine cannot. */
  static ThrowawayTlsCluster start() throws IOException, InterruptedException {
    Path bin = serverBinaries().orElse(null);
    Assumptions.assumeTrue(bin != null, "no PostgreSQL server binaries (initdb, pg_ctl) found");
    Assumptions.assumeTrue(onPath("openssl"), "no openssl to make a certificate with");
    boolean root = "root".equals(System.getProperty("user.name"));
    Assumptions.assumeTrue(!root || onPath("runuser"), "running as root without runuser: cannot start PostgreSQL");
    Path directory = Files.createTempDirectory("abilitystore-tls-");
    ThrowawayTlsCluster cluster = new ThrowawayTlsCluster(directory, bin, root, freePort());
    try {
      cluster.create();
      return cluster;
    } catch (IOException | InterruptedException | RuntimeException e) {
      cluster.close();
      throw e;
    }
  }

  private void create() throws IOException, InterruptedException {
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=localhost", "-addext", "subjectAltName=DNS:localhost", "-keyout", file("server.key"), "-out",
        file("server.crt")), false);
    run(List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
        "/CN=someone-else", "-keyout", file("other.key"), "-out", file("other.crt")), false);
    Files.setPosixFilePermissions(directory.resolve("server.key"), PosixFilePermissions.fromString("rw-------"));
    if (asPostgres) {
      Files.setPosixFilePermissions(directory, PosixFilePermissions.fromString("rwxr-xr-x"));
      UserPrincipal postgres = FileSystems.getDefault().getUserPrincipalLookupService().lookupPrincipalByName("postgres");
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path path : files.toList()) {
          Files.setOwner(path, postgres);
        }
      }
    }
    run(List.of(bin.resolve("initdb").toString(), "-D", file("data"), "-U", "postgres", "-A", "trust", "-E", "UTF8",
        "--no-sync"), asPostgres);
    run(List.of(bin.resolve("pg_ctl").toString(), "-D", file("data"), "-l", file("server.log"), "-w", "-t", "60",
        "-o", "-p " + port + " -c listen_addresses=localhost -c unix_socket_directories=" + directory
            + " -c ssl=on -c ssl_cert_file=" + file("server.crt") + " -c ssl_key_file=" + file("server.key")
            + " -c fsync=off",
        "start"), asPostgres);
    started = true;
  }

  /** The server's port on localhost. */
  int port() {
    return port;
  }

  /** The server's certificate, which is its own CA. */
  Path certificate() {
    return directory.resolve("server.crt");
  }

  /** Another self-signed certificate, which did not sign the server's. */
  Path otherCertificate() {
    return directory.resolve("other.crt");
  }

  @Override
  public void close() throws IOException, InterruptedException {
    try {
      if (started) {
        run(List.of(bin.resolve("pg_ctl").toString(), "-D", file("data"), "-m", "immediate", "-w", "stop"),
            asPostgres);
      }
    } finally {
      try (Stream<Path> files = Files.walk(directory)) {
        for (Path path : files.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(path);
        }
      }
    }
  }

  private String file(String name) {
    return directory.resolve(name).toString();
  }

  private void run(List<String> command, boolean asPostgresUser) throws IOException, InterruptedException {
    List<String> full = new ArrayList<>();
    if (asPostgresUser) {
      full.addAll(List.of("runuser", "-u", "postgres", "--"));
    }
    full.addAll(command);
    Process process = new ProcessBuilder(full).redirectErrorStream(true).start();
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
      String log = Files.exists(directory.resolve("server.log"))
          ? Files.readString(directory.resolve("server.log")) : "";
      throw new IllegalStateException(String.join(" ", full) + " failed: " + new String(output, UTF_8) + log);
    }
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
    for (String entry : path.split(java.io.File.pathSeparator)) {
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
            .max(Comparator.comparingInt(ThrowawayTlsCluster::version));
        if (newest.isPresent()) {
          return newest;
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    for (String entry : path == null ? new String[0] : path.split(java.io.File.pathSeparator)) {
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
