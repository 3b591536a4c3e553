package dev.abilitystore.integration;

import dev.abilitystore.app.Main;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A real {@code abilitystore serve} ({@link Main}) in a child JVM on this JVM's class path,
 * listening on a free loopback port that it announces on standard output, its output kept in
 * files under the log directory, and an HTTP client that brings its API key. {@link #kill} ends it
 * with {@code kill -9}; {@link #close} with SIGTERM, as a service manager does, and fails if it does
 * not stop. The HTTP calls are thread-safe; starting and stopping are not.
 */
final class ServerProcess implements AutoCloseable {
  private static final Pattern LISTENING = Pattern.compile("Ability Store listening on (http://127\\.0\\.0\\.1:\\d+) ");
  private static final Duration START_TIMEOUT = Duration.ofSeconds(120);
  private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(60);
  private static final int LOG_TAIL_CHARS = 6_000;

  private final Process process;
  private final Path out;
  private final Path err;
  private final String apiKey;
  private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
      .connectTimeout(Duration.ofSeconds(10)).build();
  private @Nullable URI uri;

  private ServerProcess(Process process, Path out, Path err, String apiKey) {
    this.process = process;
    this.out = out;
    this.err = err;
    this.apiKey = apiKey;
  }

  /**
   * Starts {@code abilitystore serve --port 0 --no-sample} with {@code environment} in place of this
   * process's store settings, and returns once it listens and {@code /ready} answers 200.
   *
   * @param name names its output files ({@code <name>.out}, {@code <name>.err}) in {@code logs}
   * @param apiKey one of the keys in {@code environment}'s {@code ABILITYSTORE_API_KEYS}
   * @throws AssertionError if it exits or does not become ready in time, with the end of its log
   */
  static ServerProcess start(Map<String, String> environment, Path logs, String name, String apiKey)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
        "--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        // the application's own logging (to standard error), not this module's test log file
        "-Dlogback.configurationFile=logback.xml",
        "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-Xmx512m",
        "-cp", System.getProperty("java.class.path"), Main.class.getName(), "serve", "--port", "0", "--no-sample"));
    Files.createDirectories(logs);
    Path out = logs.resolve(name + ".out");
    Path err = logs.resolve(name + ".err");
    ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().keySet().removeIf(variable -> variable.equals("DATABASE_URL")
        || variable.startsWith("ABILITYSTORE_") || variable.startsWith("VECTOR_DB_"));
    builder.environment().putAll(environment);
    ServerProcess server = new ServerProcess(builder.start(), out, err, apiKey);
    try {
      server.awaitReady();
    } catch (IOException | InterruptedException | RuntimeException | AssertionError e) {
      server.process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      server.http.shutdownNow();
      throw e;
    }
    return server;
  }

  private void awaitReady() throws IOException, InterruptedException {
    long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
    while (uri == null) {
      Matcher listening = LISTENING.matcher(Files.readString(out));
      if (listening.find()) {
        uri = URI.create(listening.group(1));
      } else {
        awaitAlive(deadline, "say where it listens");
      }
    }
    int status = 0;
    while (status != 200) {
      status = get("/ready").statusCode();
      if (status != 200) {
        awaitAlive(deadline, "answer 200 on /ready (last " + status + ")");
      }
    }
  }

  private void awaitAlive(long deadline, String what) throws IOException, InterruptedException {
    if (process.waitFor(50, TimeUnit.MILLISECONDS)) {
      throw new AssertionError("serve exited with " + process.exitValue() + " before it would " + what + "; "
          + describe());
    }
    if (System.nanoTime() > deadline) {
      throw new AssertionError("serve did not " + what + " within " + START_TIMEOUT.toSeconds() + " s; " + describe());
    }
  }

  HttpResponse<String> get(String path) throws IOException, InterruptedException {
    return send(request(path).GET());
  }

  HttpResponse<String> post(String path, String json) throws IOException, InterruptedException {
    return send(request(path).header("Content-Type", "application/json")
        .POST(HttpRequest.BodyPublishers.ofString(json)));
  }

  HttpResponse<String> delete(String path) throws IOException, InterruptedException {
    return send(request(path).DELETE());
  }

  private HttpRequest.Builder request(String path) {
    if (uri == null) {
      throw new IllegalStateException("serve has not said where it listens");
    }
    return HttpRequest.newBuilder(uri.resolve(path)).timeout(REQUEST_TIMEOUT)
        .header("Authorization", "Bearer " + apiKey);
  }

  private HttpResponse<String> send(HttpRequest.Builder request) throws IOException, InterruptedException {
    return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Ends the process with SIGKILL, as {@code kill -9} does, and waits until it is gone. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      throw new AssertionError("serve (pid " + process.pid() + ") outlived SIGKILL by " + STOP_TIMEOUT.toSeconds()
          + " s");
    }
  }

  /** Where it writes its log, and the end of it: for failure messages. */
  String describe() throws IOException {
    String log = Files.exists(err) ? Files.readString(err) : "";
    return "log " + err.toAbsolutePath() + " ends:\n"
        + (log.length() > LOG_TAIL_CHARS ? "..." + log.substring(log.length() - LOG_TAIL_CHARS) : log);
  }

  /** Stops the process with SIGTERM (unless it is gone already) and fails if it does not stop in time. */
  @Override
  public void close() throws IOException, InterruptedException {
    http.shutdownNow();
    if (!process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
      throw new AssertionError("serve did not stop within " + STOP_TIMEOUT.toSeconds() + " s of SIGTERM; "
          + describe());
    }
  }
}
