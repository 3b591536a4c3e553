package dev.abilitystore.postgres;

import dev.abilitystore.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.postgresql.Driver;
import org.postgresql.PGProperty;

/**
 * Reads {@code DATABASE_URL} as the original system accepted it — a libpq connection URI — or
 * as a JDBC URL.
 *
 * <p>libpq form: {@code postgresql://[user[:password]@][host[:port][,host[:port]...]][/dbname][?param=value&...]}
 * (also {@code postgres://}); user, password, database and values are percent-decoded, IPv6
 * hosts go in brackets, a missing port is 5432, a missing host is {@code localhost} and a missing
 * database is the user's name (as libpq does; {@code postgres} without a user). libpq parameters
 * are mapped to the JDBC driver's: {@code sslmode}, {@code sslrootcert}, {@code sslcert},
 * {@code sslkey}, {@code sslpassword}, {@code connect_timeout}, {@code application_name},
 * {@code options}, {@code target_session_attrs}, {@code keepalives}, {@code gssencmode},
 * {@code channel_binding}, {@code user}, {@code password}, {@code dbname}, {@code host},
 * {@code port}. Any property name of the pgjdbc driver is passed through unchanged; anything else
 * is an error, as it is for libpq. Unix-domain socket directories are not supported by the JDBC
 * driver and are refused with the fix.
 *
 * <p>JDBC form: {@code jdbc:postgresql://host:port/db?user=...}, as the driver reads it.
 * Messages never contain the password. Thread-safe.
 */
public final class DatabaseUrl {
  private static final Set<String> SSL_MODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
      "verify-full");
  private static final Map<String, String> TARGET_SESSION_ATTRS = Map.of("any", "any", "read-write", "primary",
      "primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");
  private static final Map<String, String> RENAMED = Map.of("application_name", "ApplicationName",
      "gssencmode", "gssEncMode", "channel_binding", "channelBinding");

  private DatabaseUrl() {}

  /**
   * Parses a connection URL into a configuration builder with default pool settings.
   *
   * @throws InvalidInputException naming what is wrong, without echoing the password
   */
  public static PostgresConfig.Builder parse(String url) {
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return parseJdbc(trimmed);
    }
    if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
      return parseLibpq(trimmed.substring(trimmed.indexOf("://") + 3));
    }
    throw new InvalidInputException("DATABASE_URL must start with postgresql://, postgres:// or jdbc:postgresql:// "
        + "(for example postgresql://user:password@localhost:5432/abilitystore)");
  }

  private static PostgresConfig.Builder parseJdbc(String url) {
    Properties parsed = Driver.parseURL(url, new Properties());
    if (parsed == null) {
      throw new InvalidInputException("DATABASE_URL is not a JDBC URL the PostgreSQL driver accepts "
          + "(for example jdbc:postgresql://localhost:5432/abilitystore)");
    }
    String[] hostNames = parsed.getProperty("PGHOST", "localhost").split(",");
    String[] ports = parsed.getProperty("PGPORT", "5432").split(",");
    List<String> hosts = new ArrayList<>();
    for (int i = 0; i < hostNames.length; i++) {
      String host = hostNames[i].contains(":") && !hostNames[i].startsWith("[") ? "[" + hostNames[i] + "]"
          : hostNames[i];
      hosts.add(host + ":" + (i < ports.length ? ports[i] : "5432"));
    }
    String database = parsed.getProperty("PGDBNAME", "");
    PostgresConfig.Builder builder = PostgresConfig.builder(database.isEmpty() ? "postgres" : database).hosts(hosts);
    for (String name : parsed.stringPropertyNames()) {
      switch (name) {
        case "PGHOST", "PGPORT", "PGDBNAME" -> { }
        case "user" -> builder.user(parsed.getProperty(name));
        case "password" -> builder.password(parsed.getProperty(name));
        default -> builder.property(name, parsed.getProperty(name));
      }
    }
    return builder;
  }

  private static PostgresConfig.Builder parseLibpq(String rest) {
    int queryStart = rest.indexOf('?');
    String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
    String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
    int pathStart = beforeQuery.indexOf('/');
    String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);
    @Nullable String database = pathStart < 0 ? null : decode(beforeQuery.substring(pathStart + 1), "database name");

    @Nullable String user = null;
    @Nullable String password = null;
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name");
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1), "password");
    }
    List<String> hosts = hosts(authority);

    PostgresConfig.Builder builder = PostgresConfig.builder("postgres");
    @Nullable String hostParameter = null;
    @Nullable String portParameter = null;
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new InvalidInputException("DATABASE_URL parameter '" + bounded(pair) + "' has no value (use name=value)");
      }
      String name = decode(pair.substring(0, equals), "parameter name");
      String value = decode(pair.substring(equals + 1), "value of parameter '" + name + "'");
      switch (name) {
        case "user" -> user = value;
        case "password" -> password = value;
        case "dbname" -> database = value;
        case "host" -> hostParameter = value;
        case "port" -> portParameter = value;
        default -> parameter(builder, name, value);
      }
    }
    if (hostParameter != null) {
      hosts = hosts(hostParameter + (portParameter == null ? "" : ":" + portParameter));
    } else if (portParameter != null) {
      List<String> withPort = new ArrayList<>();
      for (String host : hosts) {
        withPort.add(host.substring(0, host.lastIndexOf(':') + 1) + portParameter);
      }
      withPort.forEach(DatabaseUrl::checkPort);
      hosts = withPort;
    }
    String effectiveDatabase = database == null || database.isEmpty() ? (user == null ? "postgres" : user) : database;
    return builder.hosts(hosts).database(effectiveDatabase).user(user).password(password);
  }

  private static void parameter(PostgresConfig.Builder builder, String name, String value) {
    switch (name) {
      case "sslmode" -> {
        if (!SSL_MODES.contains(value)) {
          throw new InvalidInputException("DATABASE_URL sslmode must be one of " + String.join(", ",
              List.of("disable", "allow", "prefer", "require", "verify-ca", "verify-full")) + ", was '"
              + bounded(value) + "'");
        }
        builder.property("sslmode", value);
      }
      case "connect_timeout" -> {
        if (!value.matches("\\d{1,6}")) {
          throw new InvalidInputException("DATABASE_URL connect_timeout must be a whole number of seconds, was '"
              + bounded(value) + "'");
        }
        builder.property("connectTimeout", value);
      }
      case "target_session_attrs" -> {
        String target = TARGET_SESSION_ATTRS.get(value);
        if (target == null) {
          throw new InvalidInputException("DATABASE_URL target_session_attrs must be one of any, read-write, "
              + "read-only, primary, standby, prefer-standby, was '" + bounded(value) + "'");
        }
        builder.property("targetServerType", target);
      }
      case "keepalives" -> builder.property("tcpKeepAlive", String.valueOf(!value.equals("0")));
      case "sslrootcert", "sslcert", "sslkey", "sslpassword", "options" -> builder.property(name, value);
      default -> {
        String renamed = RENAMED.get(name);
        if (renamed != null) {
          builder.property(renamed, value);
        } else if (PGProperty.forName(name) != null) {
          builder.property(name, value);
        } else {
          throw new InvalidInputException("DATABASE_URL has an unknown parameter '" + bounded(name) + "' (libpq "
              + "parameters: sslmode, sslrootcert, sslcert, sslkey, connect_timeout, application_name, options, "
              + "target_session_attrs, keepalives, gssencmode, channel_binding; or any pgjdbc property)");
        }
      }
    }
  }

  private static List<String> hosts(String hostList) {
    List<String> hosts = new ArrayList<>();
    for (String spec : hostList.split(",", -1)) {
      String host;
      String port = "5432";
      if (spec.startsWith("[")) {
        int close = spec.indexOf(']');
        if (close < 0) {
          throw new InvalidInputException("DATABASE_URL host '" + bounded(spec) + "' opens '[' without closing it");
        }
        host = spec.substring(0, close + 1);
        String after = spec.substring(close + 1);
        if (after.startsWith(":")) {
          port = after.substring(1);
        } else if (!after.isEmpty()) {
          throw new InvalidInputException("DATABASE_URL host '" + bounded(spec) + "' has text after ']'");
        }
      } else {
        int colon = spec.lastIndexOf(':');
        host = colon < 0 ? spec : spec.substring(0, colon);
        if (colon >= 0) {
          port = spec.substring(colon + 1);
        }
      }
      host = decode(host, "host");
      if (host.startsWith("/")) {
        throw new InvalidInputException("DATABASE_URL names the Unix-domain socket directory '" + bounded(host)
            + "', which the JDBC driver cannot use: connect over TCP instead, e.g. host=127.0.0.1");
      }
      String hostPort = (host.isEmpty() ? "localhost" : host) + ":" + (port.isEmpty() ? "5432" : port);
      checkPort(hostPort);
      hosts.add(hostPort);
    }
    return hosts;
  }

  private static void checkPort(String hostPort) {
    String port = hostPort.substring(hostPort.lastIndexOf(':') + 1);
    if (!port.matches("\\d{1,5}") || Integer.parseInt(port) < 1 || Integer.parseInt(port) > 65535) {
      throw new InvalidInputException("DATABASE_URL port must be a number from 1 to 65535, was '" + bounded(port)
          + "'");
    }
  }

  /** Percent-decodes URI text; unlike {@link java.net.URLDecoder}, '+' stays '+'. */
  static String decode(String text, String what) {
    if (text.indexOf('%') < 0) {
      return text;
    }
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '%') {
        if (i + 2 >= text.length() || Character.digit(text.charAt(i + 1), 16) < 0
            || Character.digit(text.charAt(i + 2), 16) < 0) {
          throw new InvalidInputException("DATABASE_URL " + what + " has a malformed percent-escape (use %XX with "
              + "two hexadecimal digits)");
        }
        bytes.write(Character.digit(text.charAt(i + 1), 16) * 16 + Character.digit(text.charAt(i + 2), 16));
        i += 2;
      } else {
        byte[] encoded = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
        if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
          encoded = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
          i++;
        }
        bytes.writeBytes(encoded);
      }
    }
    return bytes.toString(StandardCharsets.UTF_8);
  }

  private static String bounded(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return shown.toLowerCase(Locale.ROOT).contains("password") ? "(hidden)" : shown;
  }
}
