package dev.abilitystore.postgres;

import dev.abilitystore.InvalidInputException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.Security;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.UnaryOperator;
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
 * database is the user's name (as libpq does; {@code postgres} without a user). Parameters given
 * in the query win over the URI's parts, which win over a {@code service}'s.
 *
 * <p>Every libpq parameter is either honoured — mapped to the pgJDBC property of the same
 * meaning, or acted on here ({@code service}, {@code passfile}, {@code hostaddr}) — or refused
 * with an error that names it and says why and what to do instead; none is silently ignored.
 * See {@code docs/postgres-privileges.md} for the table. Any property name of the pgJDBC driver
 * ({@code prepareThreshold}, {@code sslfactory}, ...) is passed through unchanged; anything else
 * is an error, as it is for libpq. Unix-domain socket directories are not supported by the JDBC
 * driver and are refused with the fix.
 *
 * <p>JDBC form: {@code jdbc:postgresql://host:port/db?user=...}, as the driver reads it.
 * Messages never contain the password. Thread-safe.
 */
public final class DatabaseUrl {
  /** pgJDBC's socket factory over the JVM's trusted CA certificates: libpq's {@code sslrootcert=system}. */
  static final String SYSTEM_TRUST_FACTORY = "org.postgresql.ssl.DefaultJavaSSLFactory";

  private static final List<String> SSL_MODES = List.of("disable", "allow", "prefer", "require", "verify-ca",
      "verify-full");
  private static final Map<String, String> TARGET_SESSION_ATTRS = Map.of("any", "any", "read-write", "primary",
      "primary", "primary", "read-only", "secondary", "standby", "secondary", "prefer-standby", "preferSecondary");
  private static final Set<String> AUTH_METHODS = Set.of("password", "md5", "gss", "sspi", "scram-sha-256", "none");

  /** libpq parameters that are honoured, in the order of libpq's documentation, for messages. */
  static final List<String> HONOURED = List.of("host", "hostaddr", "port", "dbname", "user", "password", "passfile",
      "require_auth", "channel_binding", "connect_timeout", "client_encoding", "options", "application_name",
      "fallback_application_name", "keepalives", "sslmode", "requiressl", "sslnegotiation", "sslcompression",
      "sslcert", "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslsni", "ssl_min_protocol_version",
      "krbsrvname", "gsslib", "gssdelegation", "gssencmode", "service", "target_session_attrs",
      "load_balance_hosts", "min_protocol_version", "max_protocol_version");

  private static final String KEEPALIVE_TIMING = "pgJDBC cannot set TCP keep-alive timing per connection: use "
      + "keepalives=1 and the operating system's settings (net.ipv4.tcp_keepalive_time, _intvl, _probes)";
  private static final String CRL = "pgJDBC reads no certificate revocation lists: turn on the JVM's revocation "
      + "checking instead (-Dcom.sun.net.ssl.checkRevocation=true with CRL distribution points or OCSP)";

  private static final String OAUTH = "pgJDBC does not support OAuth (OAUTHBEARER) authentication";

  /** libpq parameters pgJDBC cannot honour: why, and what to do instead. */
  static final Map<String, String> UNSUPPORTED = Map.ofEntries(
      Map.entry("keepalives_idle", KEEPALIVE_TIMING),
      Map.entry("keepalives_interval", KEEPALIVE_TIMING),
      Map.entry("keepalives_count", KEEPALIVE_TIMING),
      Map.entry("tcp_user_timeout", "pgJDBC has no TCP user timeout: connect_timeout bounds connecting and "
          + "ABILITYSTORE_PG_STATEMENT_TIMEOUT each statement"),
      Map.entry("replication", "the store needs ordinary SQL sessions, not replication (walsender) connections"),
      Map.entry("sslcrl", CRL),
      Map.entry("sslcrldir", CRL),
      Map.entry("requirepeer", "it applies to Unix-domain sockets, which the JDBC driver cannot use"),
      Map.entry("ssl_max_protocol_version", "pgJDBC cannot cap the TLS version per connection: cap it for the JVM "
          + "with -Djdk.tls.client.protocols=TLSv1.2"),
      Map.entry("sslkeylogfile", "Java's TLS writes no key log file"),
      Map.entry("oauth_issuer", OAUTH),
      Map.entry("oauth_client_id", OAUTH),
      Map.entry("oauth_client_secret", OAUTH),
      Map.entry("oauth_scope", OAUTH));

  private DatabaseUrl() {}

  /**
   * Parses a connection URL into a configuration builder with default pool settings.
   *
   * @throws InvalidInputException naming what is wrong, without echoing the password
   */
  public static PostgresConfig.Builder parse(String url) {
    return parse(url, System::getenv);
  }

  /** Parses with {@code environment} for {@code PGSERVICEFILE}, {@code PGSYSCONFDIR} and {@code HOME}. */
  static PostgresConfig.Builder parse(String url, UnaryOperator<@Nullable String> environment) {
    String trimmed = url.strip();
    if (trimmed.startsWith("jdbc:postgresql:")) {
      return parseJdbc(trimmed);
    }
    if (trimmed.startsWith("postgresql://") || trimmed.startsWith("postgres://")) {
      return parseLibpq(trimmed.substring(trimmed.indexOf("://") + 3), environment);
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

  private static PostgresConfig.Builder parseLibpq(String rest, UnaryOperator<@Nullable String> environment) {
    int queryStart = rest.indexOf('?');
    String query = queryStart < 0 ? "" : rest.substring(queryStart + 1);
    String beforeQuery = queryStart < 0 ? rest : rest.substring(0, queryStart);
    int pathStart = beforeQuery.indexOf('/');
    String authority = pathStart < 0 ? beforeQuery : beforeQuery.substring(0, pathStart);

    // Precedence, lowest first: the service's parameters, the URI's parts, the query's parameters.
    Map<String, String> uri = new LinkedHashMap<>();
    if (pathStart >= 0) {
      uri.put("dbname", decode(beforeQuery.substring(pathStart + 1), "database name"));
    }
    int at = authority.lastIndexOf('@');
    if (at >= 0) {
      String userInfo = authority.substring(0, at);
      authority = authority.substring(at + 1);
      int colon = userInfo.indexOf(':');
      uri.put("user", decode(colon < 0 ? userInfo : userInfo.substring(0, colon), "user name"));
      if (colon >= 0) {
        uri.put("password", decode(userInfo.substring(colon + 1), "password"));
      }
    }
    authorityHosts(authority, uri);

    Map<String, String> parameters = new LinkedHashMap<>();
    for (String pair : query.split("&")) {
      if (pair.isEmpty()) {
        continue;
      }
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw new InvalidInputException("DATABASE_URL parameter '" + bounded(pair) + "' has no value (use name=value)");
      }
      String name = decode(pair.substring(0, equals), "parameter name");
      parameters.put(name, decode(pair.substring(equals + 1), "value of parameter '" + name + "'"));
    }

    Map<String, String> merged = new LinkedHashMap<>();
    String service = parameters.get("service");
    if (service != null) {
      merged.putAll(PgServiceFile.read(service, environment));
    }
    merged.putAll(uri);
    merged.putAll(parameters);
    merged.remove("service");
    return configure(merged, environment);
  }

  /** Reads {@code host[:port][,host[:port]...]} of the URI into {@code host} and {@code port} lists. */
  private static void authorityHosts(String authority, Map<String, String> uri) {
    if (authority.isEmpty()) {
      return;
    }
    List<String> hosts = new ArrayList<>();
    List<String> ports = new ArrayList<>();
    for (String spec : authority.split(",", -1)) {
      String host;
      String port = "";
      if (spec.startsWith("[")) {
        int close = spec.indexOf(']');
        if (close < 0) {
          throw new InvalidInputException("DATABASE_URL host '" + bounded(spec) + "' opens '[' without closing it");
        }
        host = spec.substring(1, close);
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
      hosts.add(decode(host, "host"));
      ports.add(port);
    }
    uri.put("host", String.join(",", hosts));
    if (ports.stream().anyMatch(port -> !port.isEmpty())) {
      uri.put("port", String.join(",", ports));
    }
  }

  /** Turns libpq parameters (and pgJDBC properties) into a configuration. */
  private static PostgresConfig.Builder configure(Map<String, String> parameters,
      UnaryOperator<@Nullable String> environment) {
    PostgresConfig.Builder builder = PostgresConfig.builder("postgres");
    List<String> hosts = hosts(parameters);
    @Nullable String user = parameters.get("user");
    @Nullable String password = parameters.get("password");
    @Nullable String database = parameters.get("dbname");
    String effectiveDatabase = database == null || database.isEmpty() ? (user == null ? "postgres" : user) : database;
    String passfile = parameters.get("passfile");
    if (password == null && passfile != null) {
      password = PgPassFile.password(Path.of(passfile), hosts, effectiveDatabase,
          user != null ? user : System.getProperty("user.name", ""));
    }
    builder.hosts(hosts).database(effectiveDatabase).user(user).password(password);

    for (Map.Entry<String, String> entry : parameters.entrySet()) {
      String name = entry.getKey();
      String value = entry.getValue();
      switch (name) {
        case "host", "hostaddr", "port", "user", "password", "dbname", "passfile" -> { }
        case "fallback_application_name" -> {
          if (!parameters.containsKey("application_name")) {
            builder.property("ApplicationName", value);
          }
        }
        case "requiressl" -> {
          if (!parameters.containsKey("sslmode")) {
            builder.property("sslmode", flag(name, value) ? "require" : "prefer");
          }
        }
        case "connect_timeout" -> connectTimeout(builder, value, hosts.size());
        case "sslrootcert" -> {
          if (value.equals("system")) {
            // libpq: the system's CA certificates, and sslmode=verify-full unless it says otherwise
            builder.property("sslfactory", SYSTEM_TRUST_FACTORY);
            if (!parameters.containsKey("sslmode") && !parameters.containsKey("requiressl")) {
              builder.property("sslmode", "verify-full");
            }
          } else {
            builder.property(name, value);
          }
        }
        default -> parameter(builder, name, value);
      }
    }
    checkSslCombinations(parameters);
    requireWithARootCertificateVerifies(builder, parameters, environment);
    return builder;
  }

  /**
   * libpq: "if a root CA file exists, sslmode=require behaves as verify-ca" — the one given in
   * {@code sslrootcert}, or {@code ~/.postgresql/root.crt}. pgJDBC's {@code require} never checks
   * the certificate, so such a URL would silently lose the check: it becomes {@code verify-ca}.
   */
  private static void requireWithARootCertificateVerifies(PostgresConfig.Builder builder,
      Map<String, String> parameters, UnaryOperator<@Nullable String> environment) {
    String sslmode = parameters.get("sslmode");
    if (sslmode == null && parameters.containsKey("requiressl") && flag("requiressl", parameters.get("requiressl"))) {
      sslmode = "require";
    }
    if (!"require".equals(sslmode)) {
      return;
    }
    String rootCertificate = parameters.get("sslrootcert");
    boolean rootAtHand;
    if (rootCertificate != null) {
      rootAtHand = !rootCertificate.equals("system");
    } else {
      String home = environment.apply("HOME");
      Path defaultRoot = Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home", "."),
          ".postgresql", "root.crt");
      rootAtHand = Files.isRegularFile(defaultRoot);
    }
    if (rootAtHand) {
      builder.property("sslmode", "verify-ca");
    }
  }

  private static void parameter(PostgresConfig.Builder builder, String name, String value) {
    switch (name) {
      case "sslmode" -> builder.property("sslmode", oneOf(name, value, SSL_MODES));
      case "target_session_attrs" -> {
        String target = TARGET_SESSION_ATTRS.get(value);
        if (target == null) {
          throw new InvalidInputException("DATABASE_URL target_session_attrs must be one of any, read-write, "
              + "read-only, primary, standby, prefer-standby, was '" + bounded(value) + "'");
        }
        builder.property("targetServerType", target);
      }
      case "keepalives" -> builder.property("tcpKeepAlive", String.valueOf(flag(name, value)));
      case "application_name" -> builder.property("ApplicationName", value);
      case "gssencmode" -> builder.property("gssEncMode", oneOf(name, value, List.of("disable", "prefer", "require")));
      case "channel_binding" -> builder.property("channelBinding",
          oneOf(name, value, List.of("disable", "prefer", "require")));
      case "sslnegotiation" -> builder.property("sslNegotiation", oneOf(name, value, List.of("postgres", "direct")));
      case "load_balance_hosts" -> builder.property("loadBalanceHosts",
          String.valueOf(oneOf(name, value, List.of("disable", "random")).equals("random")));
      case "krbsrvname" -> builder.property("kerberosServerName", value);
      case "gsslib" -> builder.property("gsslib", oneOf(name, value, List.of("gssapi", "sspi")));
      case "require_auth" -> builder.property("requireAuth", requireAuth(value));
      case "sslcert", "sslkey", "sslpassword", "options" -> builder.property(name, value);
      case "client_encoding" -> {
        String encoding = value.toLowerCase(Locale.ROOT).replace("-", "").replace("_", "");
        if (!Set.of("utf8", "unicode", "auto").contains(encoding)) {
          throw unsupported(name, value, "pgJDBC always talks UTF8 to the server; use client_encoding=UTF8 or "
              + "leave it out");
        }
      }
      case "sslcompression" -> {
        if (flag(name, value)) {
          throw unsupported(name, value, "neither pgJDBC nor PostgreSQL 14 and later compress TLS; use "
              + "sslcompression=0 or leave it out");
        }
      }
      case "sslsni" -> {
        if (!flag(name, value)) {
          throw unsupported(name, value, "Java's TLS always sends the host name (SNI) when connecting by name; use "
              + "sslsni=1 or leave it out");
        }
      }
      case "sslcertmode" -> {
        if (!oneOf(name, value, List.of("disable", "allow", "require")).equals("allow")) {
          throw unsupported(name, value, "pgJDBC presents the client certificate of sslcert (default "
              + "~/.postgresql/postgresql.crt) when it exists and the server asks, which is sslcertmode=allow; "
              + "use that or leave it out");
        }
      }
      case "gssdelegation" -> {
        if (flag(name, value)) {
          throw unsupported(name, value, "pgJDBC does not delegate GSSAPI credentials; use gssdelegation=0 or "
              + "leave it out");
        }
      }
      case "ssl_min_protocol_version" -> minimumTlsVersion(value);
      case "min_protocol_version", "max_protocol_version" -> {
        if (!value.equals("3.0") && !(name.equals("max_protocol_version") && value.equals("latest"))) {
          throw unsupported(name, value, "pgJDBC speaks protocol version 3.0 only; use 3.0 or leave it out");
        }
      }
      default -> {
        String unsupported = UNSUPPORTED.get(name);
        if (unsupported != null) {
          throw new InvalidInputException("DATABASE_URL parameter '" + name + "' is not supported: " + unsupported);
        }
        if (PGProperty.forName(name) != null) {
          builder.property(name, value);
        } else {
          throw new InvalidInputException("DATABASE_URL has an unknown parameter '" + bounded(name) + "' (libpq "
              + "parameters: " + String.join(", ", HONOURED) + "; or any pgJDBC property)");
        }
      }
    }
  }

  /**
   * {@code connect_timeout}, as libpq reads it: whole seconds, at least 2 when positive, zero or
   * negative for none; bounding each TCP connect ({@code connectTimeout}) and connecting as a
   * whole, TLS and authentication included, to every host in turn ({@code loginTimeout}), so
   * that a server that accepts but never answers is given up too.
   */
  private static void connectTimeout(PostgresConfig.Builder builder, String value, int hosts) {
    if (!value.matches("-?\\d{1,6}")) {
      throw new InvalidInputException("DATABASE_URL connect_timeout must be a whole number of seconds, was '"
          + bounded(value) + "'");
    }
    int seconds = Integer.parseInt(value);
    if (seconds <= 0) {
      builder.property("connectTimeout", "0");
      return;
    }
    seconds = Math.max(seconds, 2);
    builder.property("connectTimeout", Integer.toString(seconds));
    builder.property("loginTimeout", Integer.toString(seconds * hosts));
  }

  /** libpq's checks of sslmode against settings that need a stronger one. */
  private static void checkSslCombinations(Map<String, String> parameters) {
    String sslmode = parameters.get("sslmode");
    if (sslmode == null && parameters.containsKey("requiressl") && flag("requiressl", parameters.get("requiressl"))) {
      sslmode = "require";
    }
    boolean weak = sslmode == null || List.of("disable", "allow", "prefer").contains(sslmode);
    if ("system".equals(parameters.get("sslrootcert")) && sslmode != null && !sslmode.equals("verify-full")) {
      throw new InvalidInputException("DATABASE_URL sslrootcert=system needs sslmode=verify-full (as libpq), was '"
          + sslmode + "'");
    }
    if ("direct".equals(parameters.get("sslnegotiation")) && weak) {
      throw new InvalidInputException("DATABASE_URL sslnegotiation=direct needs sslmode=require, verify-ca or "
          + "verify-full (as libpq), was '" + (sslmode == null ? "prefer (the default)" : sslmode) + "'");
    }
  }

  private static String requireAuth(String value) {
    for (String method : value.split(",", -1)) {
      String bare = method.startsWith("!") ? method.substring(1) : method;
      if (!AUTH_METHODS.contains(bare)) {
        throw new InvalidInputException("DATABASE_URL require_auth must list methods among " + String.join(", ",
            List.of("password", "md5", "gss", "sspi", "scram-sha-256", "none")) + ", each optionally negated with "
            + "'!', was '" + bounded(value) + "'");
      }
    }
    return value;
  }

  /**
   * {@code ssl_min_protocol_version}: honoured when the JVM already refuses everything older
   * (Java 21 and later disable TLS 1.0 and 1.1, so TLSv1, TLSv1.1 and TLSv1.2 hold); TLSv1.3 as a
   * floor needs {@code -Djdk.tls.client.protocols=TLSv1.3}.
   */
  private static void minimumTlsVersion(String value) {
    List<String> versions = List.of("TLSv1", "TLSv1.1", "TLSv1.2", "TLSv1.3");
    int wanted = versions.indexOf(value);
    if (wanted < 0) {
      throw new InvalidInputException("DATABASE_URL ssl_min_protocol_version must be one of "
          + String.join(", ", versions) + ", was '" + bounded(value) + "'");
    }
    String disabled = Security.getProperty("jdk.tls.disabledAlgorithms");
    List<String> refused = disabled == null ? List.of()
        : List.of(disabled.replace(" ", "").split(","));
    for (int older = 0; older < wanted; older++) {
      if (!refused.contains(versions.get(older))) {
        throw unsupported("ssl_min_protocol_version", value, "pgJDBC cannot set the TLS floor per connection and "
            + "this JVM still allows " + versions.get(older) + ": set -Djdk.tls.client.protocols for the JVM");
      }
    }
  }

  private static InvalidInputException unsupported(String name, String value, String why) {
    return new InvalidInputException("DATABASE_URL " + name + "=" + bounded(value) + " is not supported: " + why);
  }

  private static String oneOf(String name, String value, List<String> allowed) {
    if (!allowed.contains(value)) {
      throw new InvalidInputException("DATABASE_URL " + name + " must be one of " + String.join(", ", allowed)
          + ", was '" + bounded(value) + "'");
    }
    return value;
  }

  /** A libpq boolean: an integer, non-zero for on. */
  private static boolean flag(String name, String value) {
    if (!value.matches("-?\\d{1,9}")) {
      throw new InvalidInputException("DATABASE_URL " + name + " must be 0 or 1, was '" + bounded(value) + "'");
    }
    return Integer.parseInt(value) != 0;
  }

  /**
   * Returns {@code host:port} per server: {@code host} (else {@code hostaddr}) is a comma list,
   * {@code port} one port for all or one per host; an empty entry is the default.
   */
  private static List<String> hosts(Map<String, String> parameters) {
    String hostList = parameters.get("host");
    String addressList = parameters.get("hostaddr");
    if (hostList != null && addressList != null && !hostList.isEmpty()) {
      throw new InvalidInputException("DATABASE_URL gives both host and hostaddr: the JDBC driver connects to the "
          + "name it verifies the server's certificate against, so give one of them (host for sslmode=verify-full)");
    }
    String names = addressList != null ? addressList : hostList == null ? "" : hostList;
    List<String> hosts = new ArrayList<>(List.of(names.split(",", -1)));
    String portList = parameters.get("port");
    List<String> ports = portList == null ? List.of("") : List.of(portList.split(",", -1));
    if (ports.size() != 1 && ports.size() != hosts.size()) {
      throw new InvalidInputException("DATABASE_URL gives " + ports.size() + " ports for " + hosts.size() + " hosts: "
          + "give one port for all, or one per host");
    }
    List<String> servers = new ArrayList<>();
    for (int i = 0; i < hosts.size(); i++) {
      String host = hosts.get(i).strip();
      if (host.startsWith("/") || host.startsWith("@")) {
        throw new InvalidInputException("DATABASE_URL names the Unix-domain socket directory '" + bounded(host)
            + "', which the JDBC driver cannot use: connect over TCP instead, e.g. host=127.0.0.1");
      }
      if (host.startsWith("[") && host.endsWith("]")) {
        host = host.substring(1, host.length() - 1);
      }
      String port = ports.size() == 1 ? ports.get(0) : ports.get(i);
      port = port.isEmpty() ? "5432" : port;
      checkPort(port);
      servers.add((host.isEmpty() ? "localhost" : host.contains(":") ? "[" + host + "]" : host) + ":" + port);
    }
    return servers;
  }

  private static void checkPort(String port) {
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

  static String bounded(String text) {
    String shown = text.length() > 64 ? text.substring(0, 64) + "..." : text;
    return shown.toLowerCase(Locale.ROOT).contains("password") ? "(hidden)" : shown;
  }

  /** libpq's connection service file ({@code pg_service.conf}). */
  static final class PgServiceFile {
    private PgServiceFile() {}

    /**
     * Returns the parameters of {@code service}: from {@code PGSERVICEFILE} or
     * {@code ~/.pg_service.conf}, else {@code PGSYSCONFDIR/pg_service.conf} (libpq's order; the
     * first file holding the service wins).
     *
     * @throws InvalidInputException if no file defines the service, or one cannot be read
     */
    static Map<String, String> read(String service, UnaryOperator<@Nullable String> environment) {
      List<Path> files = new ArrayList<>();
      String userFile = environment.apply("PGSERVICEFILE");
      if (userFile != null && !userFile.isEmpty()) {
        files.add(Path.of(userFile));
      } else {
        String home = environment.apply("HOME");
        files.add(Path.of(home != null && !home.isEmpty() ? home : System.getProperty("user.home", "."))
            .resolve(".pg_service.conf"));
      }
      String systemDirectory = environment.apply("PGSYSCONFDIR");
      if (systemDirectory != null && !systemDirectory.isEmpty()) {
        files.add(Path.of(systemDirectory).resolve("pg_service.conf"));
      }
      for (Path file : files) {
        if (Files.isRegularFile(file)) {
          Map<String, String> parameters = section(file, service);
          if (parameters != null) {
            return parameters;
          }
        }
      }
      throw new InvalidInputException("DATABASE_URL service '" + bounded(service) + "' is not defined in "
          + files + " (set PGSERVICEFILE or PGSYSCONFDIR to where pg_service.conf is)");
    }

    private static @Nullable Map<String, String> section(Path file, String service) {
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InvalidInputException("DATABASE_URL service file " + file + " cannot be read: " + e.getMessage(), e);
      }
      Map<String, String> parameters = null;
      for (int i = 0; i < lines.size(); i++) {
        String line = lines.get(i).strip();
        if (line.isEmpty() || line.startsWith("#")) {
          continue;
        }
        if (line.startsWith("[")) {
          if (parameters != null) {
            return parameters;
          }
          if (line.equals("[" + service + "]")) {
            parameters = new LinkedHashMap<>();
          }
          continue;
        }
        if (parameters != null) {
          int equals = line.indexOf('=');
          if (equals <= 0) {
            throw new InvalidInputException("DATABASE_URL service file " + file + " line " + (i + 1)
                + " is not name=value");
          }
          String name = line.substring(0, equals).strip();
          if (name.equals("service")) {
            throw new InvalidInputException("DATABASE_URL service file " + file + " line " + (i + 1)
                + ": a service cannot name another service (as in libpq)");
          }
          parameters.put(name, line.substring(equals + 1).strip());
        }
      }
      return parameters;
    }
  }

  /** libpq's password file ({@code .pgpass} format), named by {@code passfile}. */
  static final class PgPassFile {
    private PgPassFile() {}

    /**
     * Returns the password of the first line matching the first host (then the next, ...),
     * port, database and user; null when none matches or the file does not exist.
     *
     * @throws InvalidInputException if the file is readable by others (libpq ignores such a
     *     file with a warning; a clear error is kinder than a failed login)
     */
    static @Nullable String password(Path file, List<String> hosts, String database, String user) {
      if (!Files.isRegularFile(file)) {
        return null;
      }
      try {
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (permissions.stream().anyMatch(permission -> permission.name().startsWith("GROUP")
            || permission.name().startsWith("OTHERS"))) {
          throw new InvalidInputException("DATABASE_URL passfile " + file + " has group or world access; libpq "
              + "ignores such a file: chmod 0600 it");
        }
      } catch (UnsupportedOperationException e) {
        // not a POSIX file system: libpq does not check either
      } catch (IOException e) {
        throw new InvalidInputException("DATABASE_URL passfile " + file + " cannot be read: " + e.getMessage(), e);
      }
      List<String> lines;
      try {
        lines = Files.readAllLines(file, StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new InvalidInputException("DATABASE_URL passfile " + file + " cannot be read: " + e.getMessage(), e);
      }
      for (String server : hosts) {
        int colon = server.lastIndexOf(':');
        String host = server.substring(0, colon);
        host = host.startsWith("[") ? host.substring(1, host.length() - 1) : host;
        String port = server.substring(colon + 1);
        for (String line : lines) {
          if (line.isBlank() || line.startsWith("#")) {
            continue;
          }
          List<String> fields = fields(line);
          if (fields.size() == 5 && matches(fields.get(0), host) && matches(fields.get(1), port)
              && matches(fields.get(2), database) && matches(fields.get(3), user)) {
            return fields.get(4);
          }
        }
      }
      return null;
    }

    private static boolean matches(String field, String value) {
      return field.equals("*") || field.equals(value);
    }

    /** Splits at ':' not escaped by '\'; '\' escapes ':' and '\'. */
    private static List<String> fields(String line) {
      List<String> fields = new ArrayList<>();
      StringBuilder field = new StringBuilder();
      for (int i = 0; i < line.length(); i++) {
        char c = line.charAt(i);
        if (c == '\\' && i + 1 < line.length()) {
          field.append(line.charAt(++i));
        } else if (c == ':' && fields.size() < 4) {
          fields.add(field.toString());
          field.setLength(0);
        } else {
          field.append(c);
        }
      }
      fields.add(field.toString());
      return fields;
    }
  }
}
