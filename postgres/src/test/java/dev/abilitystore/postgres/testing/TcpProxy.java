package dev.abilitystore.postgres.testing;

import static java.util.Objects.requireNonNull;

import dev.abilitystore.postgres.PostgresConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of one server, that tests use to take the server away and
 * give it back — for PostgreSQL, "stopping" it without stopping the server every other test
 * shares.
 *
 * <p>Each accepted connection gets a connection to the target and two pumps, one per direction,
 * each on a virtual thread. {@link #cut()} closes every live connection and, until
 * {@link #restore()}, resets each new one as soon as it is accepted: the proxy keeps listening,
 * so its port cannot be taken by someone else meanwhile, and clients fail at once with a reset
 * connection instead of waiting for a timeout. {@link #close()} stops everything and returns
 * only when every thread of the proxy has ended.
 *
 * <p>Thread-safe.
 */
public final class TcpProxy implements AutoCloseable {
  private static final Duration TARGET_CONNECT_TIMEOUT = Duration.ofSeconds(5);
  private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(10);
  private static final int CHUNK_BYTES = 64 * 1024;

  private final InetSocketAddress target;
  private final ServerSocket listener;
  private final AtomicInteger liveThreads = new AtomicInteger();
  private final ExecutorService threads;
  private final Set<Link> links = new HashSet<>();
  private volatile Duration latency = Duration.ZERO;
  private boolean cut;
  private boolean closed;

  private TcpProxy(InetSocketAddress target) throws IOException {
    this.target = target;
    this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    this.threads = Executors.newThreadPerTaskExecutor(Thread.ofVirtual().name("tcp-proxy-", 0).factory());
    run(this::acceptLoop);
  }

  /** Starts a proxy to {@code host:port}. */
  public static TcpProxy start(String host, int port) {
    try {
      return new TcpProxy(new InetSocketAddress(host, port));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a TCP proxy to " + host + ":" + port, e);
    }
  }

  /** Starts a proxy to the first server of {@code config}. */
  public static TcpProxy inFrontOf(PostgresConfig config) {
    String hostAndPort = config.hosts().get(0);
    int colon = hostAndPort.lastIndexOf(':');
    boolean hasPort = colon > hostAndPort.lastIndexOf(']');
    String host = hasPort ? hostAndPort.substring(0, colon) : hostAndPort;
    int port = hasPort ? Integer.parseInt(hostAndPort.substring(colon + 1)) : 5432;
    return start(host.startsWith("[") ? host.substring(1, host.length() - 1) : host, port);
  }

  /** Returns the port the proxy listens on, on 127.0.0.1. */
  public int port() {
    return listener.getLocalPort();
  }

  /** Returns {@code config} with this proxy as its only server. */
  public PostgresConfig proxied(PostgresConfig config) {
    return config.toBuilder().hosts(List.of("127.0.0.1:" + port())).build();
  }

  /** Closes every live connection and refuses new ones until {@link #restore()}. */
  public void cut() {
    List<Link> cutLinks;
    synchronized (this) {
      cut = true;
      cutLinks = new ArrayList<>(links);
      links.clear();
    }
    cutLinks.forEach(Link::close);
  }

  /** Forwards new connections again after {@link #cut()}. */
  public synchronized void restore() {
    cut = false;
  }

  /** Delays every forwarded chunk, in both directions, by {@code latency} (zero for none). */
  public void setLatency(Duration latency) {
    if (requireNonNull(latency, "latency").isNegative()) {
      throw new IllegalArgumentException("latency must not be negative, was " + latency);
    }
    this.latency = latency;
  }

  /** Returns how many connections the proxy forwards now. */
  public synchronized int liveConnections() {
    return links.size();
  }

  /** Returns how many threads of the proxy run or are starting: none once {@link #close()} has returned. */
  public int liveThreads() {
    return liveThreads.get();
  }

  /**
   * Stops listening, closes every connection and waits for the proxy's threads to end.
   *
   * @throws IllegalStateException if a thread did not end within ten seconds
   */
  @Override
  public void close() {
    List<Link> closing;
    synchronized (this) {
      if (closed) {
        return;
      }
      closed = true;
      closing = new ArrayList<>(links);
      links.clear();
    }
    closeQuietly(listener);
    closing.forEach(Link::close);
    threads.shutdownNow();
    try {
      if (!threads.awaitTermination(SHUTDOWN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
        throw new IllegalStateException("TCP proxy on port " + port() + ": " + liveThreads() + " threads still run "
            + SHUTDOWN_TIMEOUT + " after close");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while closing the TCP proxy on port " + port(), e);
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket client;
      try {
        client = listener.accept();
      } catch (IOException e) {
        return;
      }
      if (!run(() -> forward(client))) {
        closeQuietly(client);
      }
    }
  }

  private void forward(Socket client) {
    Socket server = new Socket();
    Link link = new Link(client, server);
    if (!register(link)) {
      link.reset();
      return;
    }
    try {
      client.setTcpNoDelay(true);
      server.setTcpNoDelay(true);
      server.connect(target, (int) TARGET_CONNECT_TIMEOUT.toMillis());
    } catch (IOException e) {
      unregister(link);
      link.reset();
      return;
    }
    if (run(() -> pump(link, server, client))) {
      pump(link, client, server);
    } else {
      link.close();
    }
  }

  private synchronized boolean register(Link link) {
    if (cut || closed) {
      return false;
    }
    links.add(link);
    return true;
  }

  private synchronized void unregister(Link link) {
    links.remove(link);
  }

  private void pump(Link link, Socket from, Socket to) {
    byte[] chunk = new byte[CHUNK_BYTES];
    try {
      InputStream in = from.getInputStream();
      OutputStream out = to.getOutputStream();
      for (int read; (read = in.read(chunk)) >= 0; ) {
        Duration delay = latency;
        if (!delay.isZero()) {
          Thread.sleep(delay);
        }
        out.write(chunk, 0, read);
        out.flush();
      }
      to.shutdownOutput();
      if (link.pumpEnded()) {
        unregister(link);
        link.close();
      }
    } catch (IOException e) {
      unregister(link);
      link.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      unregister(link);
      link.close();
    }
  }

  /** Runs {@code task} on a new virtual thread; false when the proxy is closing and refused it. */
  private boolean run(Runnable task) {
    liveThreads.incrementAndGet();
    try {
      threads.execute(() -> {
        try {
          task.run();
        } finally {
          liveThreads.decrementAndGet();
        }
      });
      return true;
    } catch (RejectedExecutionException e) {
      liveThreads.decrementAndGet();
      return false;
    }
  }

  private static void closeQuietly(AutoCloseable closeable) {
    try {
      closeable.close();
    } catch (Exception ignored) {
      // nothing left to do with it
    }
  }

  /** One forwarded connection: the client's socket and the proxy's socket to the target. */
  private static final class Link {
    private final Socket client;
    private final Socket server;
    private final AtomicInteger endedPumps = new AtomicInteger();

    Link(Socket client, Socket server) {
      this.client = client;
      this.server = server;
    }

    /** Counts a pump that reached the end of its stream; true when both have. */
    boolean pumpEnded() {
      return endedPumps.incrementAndGet() == 2;
    }

    void close() {
      closeQuietly(client);
      closeQuietly(server);
    }

    /** Closes with a reset, so that the client fails at once rather than reading an orderly end. */
    void reset() {
      try {
        client.setSoLinger(true, 0);
      } catch (IOException ignored) {
        // closed already
      }
      close();
    }
  }
}
