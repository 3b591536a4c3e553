package dev.abilitystore.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Sends bytes that no HTTP client would, over a plain socket, and reads one HTTP/1.1 answer: for
 * request lines, headers, encodings and lengths that are themselves malformed.
 */
final class RawHttp {
  private RawHttp() {}

  /** An answer: status (0 if none came), headers in lower case, body. */
  record Answer(int status, Map<String, String> headers, byte[] body) {}

  /**
   * Sends {@code request}, half-closes the connection (so that a server waiting for more body
   * sees its end), and reads the answer within {@code timeout}.
   *
   * @throws SocketTimeoutException if no complete answer came in time
   */
  static Answer send(String host, int port, byte[] request, Duration timeout) throws IOException {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
      socket.setSoTimeout((int) timeout.toMillis());
      long deadline = System.nanoTime() + timeout.toNanos();
      try {
        socket.getOutputStream().write(request);
        socket.getOutputStream().flush();
        socket.shutdownOutput();
      } catch (IOException e) {
        // the server may answer and close before reading everything: read what it said
      }
      return read(socket.getInputStream(), deadline);
    }
  }

  private static Answer read(InputStream in, long deadline) throws IOException {
    String statusLine = line(in, deadline);
    if (statusLine == null) {
      return new Answer(0, Map.of(), new byte[0]);
    }
    String[] parts = statusLine.split(" ", 3);
    int status = parts.length >= 2 ? Integer.parseInt(parts[1]) : 0;
    Map<String, String> headers = new LinkedHashMap<>();
    for (String header = line(in, deadline); header != null && !header.isEmpty(); header = line(in, deadline)) {
      int colon = header.indexOf(':');
      if (colon > 0) {
        headers.put(header.substring(0, colon).strip().toLowerCase(Locale.ROOT), header.substring(colon + 1).strip());
      }
    }
    ByteArrayOutputStream body = new ByteArrayOutputStream();
    String length = headers.get("content-length");
    if (length != null) {
      long remaining = Long.parseLong(length);
      byte[] buffer = new byte[8192];
      while (remaining > 0) {
        checkDeadline(deadline);
        int read = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (read < 0) {
          break;
        }
        body.write(buffer, 0, read);
        remaining -= read;
      }
    } else if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
      while (true) {
        String size = line(in, deadline);
        if (size == null) {
          break;
        }
        int chunk = Integer.parseInt(size.split(";", 2)[0].strip(), 16);
        if (chunk == 0) {
          line(in, deadline);
          break;
        }
        body.write(in.readNBytes(chunk));
        line(in, deadline);
      }
    } else if (status >= 200 && status != 204 && status != 304) {
      byte[] buffer = new byte[8192];
      for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
        checkDeadline(deadline);
        body.write(buffer, 0, read);
      }
    }
    return new Answer(status, headers, body.toByteArray());
  }

  private static @Nullable String line(InputStream in, long deadline) throws IOException {
    ByteArrayOutputStream line = new ByteArrayOutputStream();
    while (true) {
      checkDeadline(deadline);
      int b = in.read();
      if (b < 0) {
        return line.size() == 0 ? null : line.toString(StandardCharsets.ISO_8859_1);
      }
      if (b == '\n') {
        String text = line.toString(StandardCharsets.ISO_8859_1);
        return text.endsWith("\r") ? text.substring(0, text.length() - 1) : text;
      }
      line.write(b);
    }
  }

  private static void checkDeadline(long deadline) throws SocketTimeoutException {
    if (System.nanoTime() > deadline) {
      throw new SocketTimeoutException("no complete answer in time");
    }
  }
}
