package dev.abilitystore.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.IntPredicate;
import org.jspecify.annotations.Nullable;

/**
 * A bounded, closed-loop HTTP load generator: a fixed number of virtual threads each send one
 * request, wait for the whole answer, and send the next, until the request count is reached or
 * the time bound has passed (no request starts after it). Every answer outside 2xx and every
 * request that failed is an error. Latency runs from just before the request is sent (its body
 * already built) to the last byte of the answer. Thread-safe: keeps no state between runs.
 */
final class LoadGenerator {
  private static final int ERROR_BODY_CHARS = 500;

  private LoadGenerator() {}

  /**
   * What one run did.
   *
   * @param requests the requests sent (and answered or failed)
   * @param errors how many of them were errors
   * @param nanos the latency of request i at index i, for the first {@code requests}
   * @param seconds from the first request sent to the last answer read
   * @param firstError the first error's status and body, or exception; null when there was none
   */
  record Run(int requests, int errors, long[] nanos, double seconds, @Nullable String firstError) {
    double throughputPerSecond() {
      return seconds == 0 ? 0 : requests / seconds;
    }

    Latencies latencies() {
      return latencies(index -> true);
    }

    /** Returns the latencies of the requests whose index passes {@code which}. */
    Latencies latencies(IntPredicate which) {
      Latencies latencies = new Latencies(requests);
      for (int index = 0; index < requests; index++) {
        if (which.test(index)) {
          latencies.add(nanos[index]);
        }
      }
      return latencies;
    }
  }

  /** Sends up to {@code requests} requests, {@code request.apply(i)} the i-th, from {@code concurrency} workers. */
  static Run run(HttpClient client, int concurrency, int requests, Duration bound, IntFunction<HttpRequest> request)
      throws InterruptedException {
    long[] nanos = new long[requests];
    AtomicInteger next = new AtomicInteger();
    AtomicInteger errors = new AtomicInteger();
    AtomicReference<@Nullable String> firstError = new AtomicReference<>();
    long started = System.nanoTime();
    long deadline = started + bound.toNanos();
    try (ExecutorService workers = Executors.newVirtualThreadPerTaskExecutor()) {
      for (int worker = 0; worker < concurrency; worker++) {
        workers.execute(() -> {
          while (System.nanoTime() < deadline) {
            int index = next.getAndIncrement();
            if (index >= requests) {
              return;
            }
            long sent = System.nanoTime();
            String error;
            try {
              HttpRequest built = request.apply(index);
              sent = System.nanoTime();
              error = send(client, built);
            } catch (RuntimeException e) {
              error = e.toString();
            }
            nanos[index] = System.nanoTime() - sent;
            if (error != null) {
              errors.incrementAndGet();
              firstError.compareAndSet(null, error);
            }
          }
        });
      }
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    int sent = Math.min(next.get(), requests);
    return new Run(sent, errors.get(), nanos, seconds, firstError.get());
  }

  /** Sends {@code request} and reads the whole answer; returns null for a 2xx answer, else what went wrong. */
  static @Nullable String send(HttpClient client, HttpRequest request) {
    try {
      HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() / 100 == 2) {
        return null;
      }
      String body = response.body();
      return request.method() + " " + request.uri().getPath() + " answered " + response.statusCode() + ": "
          + (body.length() > ERROR_BODY_CHARS ? body.substring(0, ERROR_BODY_CHARS) + "..." : body);
    } catch (IOException e) {
      return request.method() + " " + request.uri().getPath() + " failed: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return request.method() + " " + request.uri().getPath() + " interrupted";
    }
  }
}
