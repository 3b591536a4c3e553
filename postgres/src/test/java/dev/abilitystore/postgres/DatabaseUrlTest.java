package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class DatabaseUrlTest {

  @Test
  void parse_fullLibpqUri() {
    PostgresConfig config = DatabaseUrl.parse("postgresql://alice:s3cret@db.example.com:6543/reverse_engineer"
        + "?sslmode=verify-full&application_name=ability%20store&connect_timeout=7").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example.com:6543/reverse_engineer");
    assertThat(config.user()).isEqualTo("alice");
    assertThat(config.password()).isEqualTo("s3cret");
    assertThat(config.properties()).containsEntry("sslmode", "verify-full")
        .containsEntry("ApplicationName", "ability store").containsEntry("connectTimeout", "7");
  }

  @Test
  void parse_percentEncodedPasswordWithReservedCharacters() {
    PostgresConfig config = DatabaseUrl.parse("postgres://bob:p%40ss%3Aw%2Fo+rd%25@localhost/db").build();
    assertThat(config.password()).isEqualTo("p@ss:w/o+rd%");
    assertThat(config.toString()).doesNotContain("p@ss");
  }

  @Test
  void parse_defaults_matchLibpq() {
    PostgresConfig config = DatabaseUrl.parse("postgresql://").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/postgres");
    assertThat(config.user()).isNull();
    assertThat(DatabaseUrl.parse("postgresql://carol@host").build().database()).isEqualTo("carol");
    assertThat(DatabaseUrl.parse("postgresql://host/").build().jdbcUrl()).isEqualTo("jdbc:postgresql://host:5432/postgres");
  }

  @Test
  void parse_ipv6AndSeveralHosts() {
    assertThat(DatabaseUrl.parse("postgresql://[::1]:5433,[2001:db8::5],other:5434/db?target_session_attrs=read-write")
        .build()).satisfies(config -> {
          assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://[::1]:5433,[2001:db8::5]:5432,other:5434/db");
          assertThat(config.properties()).containsEntry("targetServerType", "primary");
        });
  }

  @Test
  void parse_parametersOverrideTheAuthority() {
    PostgresConfig config = DatabaseUrl.parse("postgresql:///ignored?host=10.0.0.5&port=7000&user=u&password=p"
        + "&dbname=real").build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://10.0.0.5:7000/real");
    assertThat(config.user()).isEqualTo("u");
    assertThat(config.password()).isEqualTo("p");
  }

  @Test
  void parse_databaseNameWithSpaces_isEncodedForJdbc() {
    assertThat(DatabaseUrl.parse("postgresql://h/my%20db").build().jdbcUrl()).isEqualTo("jdbc:postgresql://h:5432/my%20db");
  }

  @Test
  void parse_pgjdbcPropertiesPassThrough() {
    assertThat(DatabaseUrl.parse("postgresql://h/db?prepareThreshold=0&sslrootcert=/etc/ca.pem").build().properties())
        .containsEntry("prepareThreshold", "0").containsEntry("sslrootcert", "/etc/ca.pem");
  }

  @Test
  void parse_jdbcUrl() {
    PostgresConfig config = DatabaseUrl.parse("jdbc:postgresql://h1:5433,h2/abilities?user=dave&password=x&sslmode=require")
        .build();
    assertThat(config.jdbcUrl()).isEqualTo("jdbc:postgresql://h1:5433,h2:5432/abilities");
    assertThat(config.user()).isEqualTo("dave");
    assertThat(config.password()).isEqualTo("x");
    assertThat(config.properties()).containsEntry("sslmode", "require").doesNotContainKeys("user", "password");
  }

  @ParameterizedTest
  @ValueSource(strings = {"mysql://u:p@h/db", "localhost:5432/db", "", "http://h/db"})
  void parse_otherSchemes_sayWhatIsAccepted(String url) {
    assertThatThrownBy(() -> DatabaseUrl.parse(url)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("must start with postgresql://");
  }

  @Test
  void parse_errors_nameTheProblemButNeverThePassword() {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h:99999/db"))
        .hasMessageContaining("port must be a number from 1 to 65535").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h/db?sslmode=sometimes"))
        .hasMessageContaining("sslmode must be one of").hasMessageNotContaining("topsecret");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:top%ZZsecret@h/db"))
        .hasMessageContaining("password has a malformed percent-escape").hasMessageNotContaining("top");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?frobnicate=1"))
        .hasMessageContaining("unknown parameter 'frobnicate'");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?host=/var/run/postgresql"))
        .hasMessageContaining("Unix-domain socket");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://[::1/db")).hasMessageContaining("without closing it");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://h/db?sslmode")).hasMessageContaining("has no value");
  }

  @Test
  void parse_fuzzedInput_neverFailsWithAnythingButInvalidInput() {
    java.util.SplittableRandom random = new java.util.SplittableRandom(42);
    String alphabet = "postgresql:/@[]%:?&=,.0123456789abcdefABCDEF-_~+ \u00e9\u0000";
    for (int i = 0; i < 20_000; i++) {
      StringBuilder url = new StringBuilder(random.nextBoolean() ? "postgresql://" : "");
      int length = random.nextInt(40);
      for (int j = 0; j < length; j++) {
        url.append(alphabet.charAt(random.nextInt(alphabet.length())));
      }
      try {
        DatabaseUrl.parse(url.toString()).build();
      } catch (InvalidInputException expected) {
        assertThat(expected.getMessage()).isNotBlank();
      }
    }
  }

  /** Every connection parameter of libpq 17 (and 18's additions), from its documentation (section 32.1.2). */
  private static final List<String> LIBPQ_PARAMETERS = List.of("host", "hostaddr", "port", "dbname", "user",
      "password", "passfile", "require_auth", "channel_binding", "connect_timeout", "client_encoding", "options",
      "application_name", "fallback_application_name", "keepalives", "keepalives_idle", "keepalives_interval",
      "keepalives_count", "tcp_user_timeout", "replication", "gssencmode", "sslmode", "requiressl", "sslnegotiation",
      "sslcompression", "sslcert", "sslkey", "sslpassword", "sslcertmode", "sslrootcert", "sslcrl", "sslcrldir",
      "sslsni", "requirepeer", "ssl_min_protocol_version", "ssl_max_protocol_version", "krbsrvname", "gsslib",
      "gssdelegation", "service", "target_session_attrs", "load_balance_hosts",
      "min_protocol_version", "max_protocol_version", "sslkeylogfile", "oauth_issuer", "oauth_client_id",
      "oauth_client_secret", "oauth_scope");

  @TempDir Path directory;

  /** Parses with an environment whose home has no ~/.postgresql/root.crt. */
  private Map<String, String> properties(String query) {
    Map<String, String> environment = Map.of("HOME", directory.resolve("home").toString());
    return DatabaseUrl.parse("postgresql://h/db?" + query, environment::get).build().properties();
  }

  @Test
  void everyLibpqParameter_isEitherHonouredOrRefusedByName() {
    Set<String> known = new HashSet<>(DatabaseUrl.HONOURED);
    known.addAll(DatabaseUrl.UNSUPPORTED.keySet());
    assertThat(known).containsExactlyInAnyOrderElementsOf(LIBPQ_PARAMETERS);
    assertThat(DatabaseUrl.HONOURED).doesNotContainAnyElementsOf(DatabaseUrl.UNSUPPORTED.keySet());
  }

  @ParameterizedTest(name = "{0} -> {1}={2}")
  @CsvSource(delimiter = '|', value = {
      "sslmode=verify-ca                          | sslmode            | verify-ca",
      "sslrootcert=/etc/ca.pem                    | sslrootcert        | /etc/ca.pem",
      "sslcert=/etc/client.crt                    | sslcert            | /etc/client.crt",
      "sslkey=/etc/client.key                     | sslkey             | /etc/client.key",
      "sslpassword=k3y                            | sslpassword        | k3y",
      "sslnegotiation=direct&sslmode=require      | sslNegotiation     | direct",
      "connect_timeout=7                          | connectTimeout     | 7",
      "connect_timeout=7                          | loginTimeout       | 7",
      "connect_timeout=1                          | connectTimeout     | 2",
      "connect_timeout=0                          | connectTimeout     | 0",
      "connect_timeout=-3                         | connectTimeout     | 0",
      "application_name=store%20one               | ApplicationName    | store one",
      "fallback_application_name=fallback         | ApplicationName    | fallback",
      "application_name=a&fallback_application_name=b | ApplicationName | a",
      "options=-c%20search_path%3Dabilities       | options            | -c search_path=abilities",
      "keepalives=1                               | tcpKeepAlive       | true",
      "keepalives=0                               | tcpKeepAlive       | false",
      "target_session_attrs=read-write            | targetServerType   | primary",
      "target_session_attrs=primary               | targetServerType   | primary",
      "target_session_attrs=read-only             | targetServerType   | secondary",
      "target_session_attrs=standby               | targetServerType   | secondary",
      "target_session_attrs=prefer-standby        | targetServerType   | preferSecondary",
      "target_session_attrs=any                   | targetServerType   | any",
      "load_balance_hosts=random                  | loadBalanceHosts   | true",
      "load_balance_hosts=disable                 | loadBalanceHosts   | false",
      "gssencmode=require                         | gssEncMode         | require",
      "channel_binding=require                    | channelBinding     | require",
      "require_auth=scram-sha-256                 | requireAuth        | scram-sha-256",
      "require_auth=!password,!md5                | requireAuth        | !password,!md5",
      "krbsrvname=postgres                        | kerberosServerName | postgres",
      "gsslib=gssapi                              | gsslib             | gssapi",
      "requiressl=1                               | sslmode            | require",
      "sslmode=require                            | sslmode            | require",
      "sslmode=require&sslrootcert=/etc/ca.pem    | sslmode            | verify-ca",
      "requiressl=1&sslrootcert=/etc/ca.pem       | sslmode            | verify-ca",
      "requiressl=1&sslmode=verify-full           | sslmode            | verify-full",
      "sslrootcert=system                         | sslmode            | verify-full",
      "sslrootcert=system                         | sslfactory         | org.postgresql.ssl.DefaultJavaSSLFactory",
      "prepareThreshold=0                         | prepareThreshold   | 0",
  })
  void parse_libpqParameter_mapsToThePgjdbcPropertyOfTheSameMeaning(String query, String property, String value) {
    assertThat(properties(query)).containsEntry(property, value);
  }

  @ParameterizedTest
  @ValueSource(strings = {"client_encoding=UTF8", "client_encoding=utf-8", "client_encoding=auto", "sslcompression=0",
      "sslsni=1", "sslcertmode=allow", "gssdelegation=0", "ssl_min_protocol_version=TLSv1.2",
      "min_protocol_version=3.0", "max_protocol_version=3.0"})
  void parse_libpqParametersThatPgjdbcAlwaysSatisfies_areAccepted(String query) {
    PostgresConfig config = DatabaseUrl.parse("postgresql://h/db?" + query).build();
    assertThat(config.properties()).doesNotContainKeys(query.substring(0, query.indexOf('=')));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
      "keepalives_idle=30            | 'keepalives_idle' is not supported: pgJDBC cannot set TCP keep-alive timing",
      "keepalives_interval=5         | 'keepalives_interval' is not supported",
      "keepalives_count=3            | 'keepalives_count' is not supported",
      "tcp_user_timeout=1000         | 'tcp_user_timeout' is not supported",
      "replication=database          | 'replication' is not supported: the store needs ordinary SQL sessions",
      "sslcrl=/etc/crl.pem           | 'sslcrl' is not supported: pgJDBC reads no certificate revocation lists",
      "sslcrldir=/etc/crl            | 'sslcrldir' is not supported",
      "requirepeer=postgres          | 'requirepeer' is not supported: it applies to Unix-domain sockets",
      "ssl_max_protocol_version=TLSv1.2 | 'ssl_max_protocol_version' is not supported",
      "sslkeylogfile=/tmp/keys       | 'sslkeylogfile' is not supported",
      "oauth_issuer=https://idp      | 'oauth_issuer' is not supported",
      "client_encoding=LATIN1        | client_encoding=LATIN1 is not supported: pgJDBC always talks UTF8",
      "sslcompression=1              | sslcompression=1 is not supported",
      "sslsni=0                      | sslsni=0 is not supported",
      "sslcertmode=require           | sslcertmode=require is not supported",
      "sslcertmode=disable           | sslcertmode=disable is not supported",
      "gssdelegation=1               | gssdelegation=1 is not supported",
      "ssl_min_protocol_version=TLSv1.3 | ssl_min_protocol_version=TLSv1.3 is not supported",
      "min_protocol_version=3.2      | min_protocol_version=3.2 is not supported",
      "sslmode=sometimes             | sslmode must be one of disable, allow, prefer, require, verify-ca, verify-full",
      "gssencmode=maybe              | gssencmode must be one of disable, prefer, require",
      "channel_binding=always        | channel_binding must be one of disable, prefer, require",
      "sslnegotiation=fast           | sslnegotiation must be one of postgres, direct",
      "load_balance_hosts=yes        | load_balance_hosts must be one of disable, random",
      "gsslib=kerberos               | gsslib must be one of gssapi, sspi",
      "require_auth=magic            | require_auth must list methods among",
      "keepalives=on                 | keepalives must be 0 or 1",
      "connect_timeout=soon          | connect_timeout must be a whole number of seconds",
      "target_session_attrs=leader   | target_session_attrs must be one of",
      "sslnegotiation=direct         | sslnegotiation=direct needs sslmode=require",
      "sslrootcert=system&sslmode=require | sslrootcert=system needs sslmode=verify-full",
      "frobnicate=1                  | unknown parameter 'frobnicate'",
  })
  void parse_unsupportedOrInvalidParameter_isRefusedByName(String query, String message) {
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://u:topsecret@h/db?" + query))
        .isInstanceOf(InvalidInputException.class).hasMessageContaining(message).hasMessageNotContaining("topsecret");
  }

  @Test
  void parse_sslmodeRequire_withTheDefaultRootCertificateAtHand_verifiesTheChainAsLibpqDoes() throws IOException {
    Path home = directory.resolve("home-with-root");
    Files.createDirectories(home.resolve(".postgresql"));
    Files.writeString(home.resolve(".postgresql/root.crt"), "-----BEGIN CERTIFICATE-----\n");
    Map<String, String> environment = Map.of("HOME", home.toString());
    assertThat(DatabaseUrl.parse("postgresql://h/db?sslmode=require", environment::get).build().properties())
        .containsEntry("sslmode", "verify-ca");
    assertThat(DatabaseUrl.parse("postgresql://h/db?sslmode=prefer", environment::get).build().properties())
        .containsEntry("sslmode", "prefer");
  }

  @Test
  void parse_hostAndPortLists_pairUpAsInLibpq() {
    assertThat(DatabaseUrl.parse("postgresql:///db?host=h1,h2,::1&port=5433,5434,5435").build().hosts())
        .containsExactly("h1:5433", "h2:5434", "[::1]:5435");
    assertThat(DatabaseUrl.parse("postgresql:///db?host=h1,h2&port=6000").build().hosts())
        .containsExactly("h1:6000", "h2:6000");
    assertThat(DatabaseUrl.parse("postgresql://h1:5433,h2/db").build().hosts()).containsExactly("h1:5433", "h2:5432");
    assertThat(DatabaseUrl.parse("postgresql://h1:5433,h2/db?port=7000").build().hosts())
        .containsExactly("h1:7000", "h2:7000");
    assertThat(DatabaseUrl.parse("postgresql://:5433/db").build().hosts()).containsExactly("localhost:5433");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db?host=h1,h2,h3&port=1,2"))
        .hasMessageContaining("gives 2 ports for 3 hosts");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql:///db?host=h1&port=0"))
        .hasMessageContaining("port must be a number from 1 to 65535");
  }

  @Test
  void parse_hostaddr_isWhereToConnectWhenNoHostIsNamed() {
    assertThat(DatabaseUrl.parse("postgresql:///db?hostaddr=10.0.0.5,10.0.0.6&port=5433").build().hosts())
        .containsExactly("10.0.0.5:5433", "10.0.0.6:5433");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://db.example.com/db?hostaddr=10.0.0.5"))
        .hasMessageContaining("gives both host and hostaddr");
  }

  @Test
  void parse_connectTimeout_boundsEveryHostInTurn() {
    assertThat(DatabaseUrl.parse("postgresql://h1,h2,h3/db?connect_timeout=4").build().properties())
        .containsEntry("connectTimeout", "4").containsEntry("loginTimeout", "12");
  }

  @Test
  void parse_service_readsPgServiceConfBelowTheUrl() throws IOException {
    Path file = Files.writeString(directory.resolve("pg_service.conf"), """
        # services
        [other]
        host=elsewhere

        [catalogue]
        host=db.internal
        port=6543
        dbname=abilities
        user=store
        sslmode=verify-full
        application_name=from-service
        """);
    Map<String, String> environment = Map.of("PGSERVICEFILE", file.toString());
    PostgresConfig config = DatabaseUrl.parse("postgresql://?service=catalogue&application_name=from-url",
        environment::get).build();
    assertThat(config.hosts()).containsExactly("db.internal:6543");
    assertThat(config.database()).isEqualTo("abilities");
    assertThat(config.user()).isEqualTo("store");
    assertThat(config.properties()).containsEntry("sslmode", "verify-full").containsEntry("ApplicationName", "from-url");
    assertThat(DatabaseUrl.parse("postgresql://override:1234/db2?service=catalogue", environment::get).build())
        .satisfies(overridden -> {
          assertThat(overridden.hosts()).containsExactly("override:1234");
          assertThat(overridden.database()).isEqualTo("db2");
        });
    Map<String, String> systemOnly = Map.of("PGSYSCONFDIR", directory.toString(), "HOME",
        directory.resolve("nohome").toString());
    assertThat(DatabaseUrl.parse("postgresql://?service=other", systemOnly::get).build().hosts())
        .containsExactly("elsewhere:5432");
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://?service=missing", environment::get))
        .hasMessageContaining("service 'missing' is not defined");
  }

  @Test
  void parse_passfile_suppliesThePasswordOfTheFirstMatchingLine() throws IOException {
    Path file = Files.writeString(directory.resolve("pgpass"), """
        # host:port:database:user:password
        other:*:*:*:wrong
        db.example.com:5432:abilities:store:first\\:one
        *:*:*:store:fallback
        """);
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
    String passfile = "passfile=" + file;
    assertThat(DatabaseUrl.parse("postgresql://store@db.example.com/abilities?" + passfile).build().password())
        .isEqualTo("first:one");
    assertThat(DatabaseUrl.parse("postgresql://store@else.example.com/x?" + passfile).build().password())
        .isEqualTo("fallback");
    assertThat(DatabaseUrl.parse("postgresql://store:given@db.example.com/abilities?" + passfile).build().password())
        .isEqualTo("given");
    assertThat(DatabaseUrl.parse("postgresql://nobody@h/db?passfile=" + directory.resolve("none")).build().password())
        .isNull();
    Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-r--r--"));
    assertThatThrownBy(() -> DatabaseUrl.parse("postgresql://store@h/db?" + passfile))
        .hasMessageContaining("has group or world access");
  }

  @Test
  void parse_secretsOfTheUrl_neverShowInTheConfiguration() {
    PostgresConfig config = DatabaseUrl.parse("postgresql://u:pw-one@h/db?sslpassword=pw-two&sslkey=/k.pem").build();
    assertThat(config.toString()).doesNotContain("pw-one", "pw-two").contains("sslkey=/k.pem");
  }
}
