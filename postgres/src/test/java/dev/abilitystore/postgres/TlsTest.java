package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.Ability;
import dev.abilitystore.postgres.testing.TestPostgres;
import dev.abilitystore.postgres.testing.ThrowawayCluster;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code sslmode} and the certificate parameters of {@code DATABASE_URL} against a server with
 * TLS: a {@link ThrowawayCluster} of this class's own (the shared test server has no TLS and
 * is not reconfigured). Its certificate names {@code localhost} only, so connecting to
 * {@code 127.0.0.1} passes {@code verify-ca} but not {@code verify-full}.
 */
@Timeout(180)
class TlsTest {
  private static ThrowawayCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = ThrowawayCluster.createWithTls();
  }

  @AfterAll
  static void stopCluster() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private static PostgresConfig config(String host, String parameters) {
    return DatabaseUrl.parse("postgresql://postgres@" + host + ":" + cluster.port() + "/postgres?" + parameters)
        .connectionTimeout(Duration.ofSeconds(5)).maximumPoolSize(2).build();
  }

  /** Whether the connection's own backend uses TLS, as the server sees it. */
  private static boolean overTls(PostgresConfig config) throws SQLException {
    try (Connection connection = TestPostgres.connect(config); Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()")) {
      row.next();
      return row.getBoolean(1);
    }
  }

  @Test
  void sslmodeRequire_withoutARootCertificate_encryptsWithoutCheckingTheCertificate() throws SQLException {
    Path defaultRoot = Path.of(System.getProperty("user.home"), ".postgresql", "root.crt");
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(defaultRoot), defaultRoot + " exists");
    assertThat(overTls(config("127.0.0.1", "sslmode=require"))).isTrue();
  }

  @Test
  void sslmodeRequire_withARootCertificate_checksTheChainAsLibpqDoes() throws SQLException {
    assertThat(overTls(config("127.0.0.1", "sslmode=require&sslrootcert=" + cluster.certificate()))).isTrue();
    assertThatThrownBy(() -> overTls(config("127.0.0.1", "sslmode=require&sslrootcert=" + cluster.otherCertificate())))
        .isInstanceOf(SQLException.class).hasMessageContaining("SSL error");
  }

  @Test
  void sslmodeDisable_doesNotEncrypt_andPreferDoes() throws SQLException {
    assertThat(overTls(config("127.0.0.1", "sslmode=disable"))).isFalse();
    assertThat(overTls(config("127.0.0.1", "sslmode=prefer"))).isTrue();
  }

  @Test
  void sslmodeVerifyCa_checksTheChainButNotTheName() throws SQLException {
    assertThat(overTls(config("127.0.0.1", "sslmode=verify-ca&sslrootcert=" + cluster.certificate()))).isTrue();
    assertThatThrownBy(() -> overTls(config("127.0.0.1", "sslmode=verify-ca&sslrootcert="
        + cluster.otherCertificate()))).isInstanceOf(SQLException.class).hasMessageContaining("SSL error");
  }

  @Test
  void sslmodeVerifyFull_checksTheName() throws SQLException {
    assertThat(overTls(config("localhost", "sslmode=verify-full&sslrootcert=" + cluster.certificate()))).isTrue();
    assertThatThrownBy(() -> overTls(config("127.0.0.1", "sslmode=verify-full&sslrootcert=" + cluster.certificate())))
        .isInstanceOf(SQLException.class).hasMessageContaining("127.0.0.1 could not be verified");
  }

  @Test
  void sslmodeVerifyCa_withoutARootCertificate_failsNamingTheFileItLookedFor() {
    Path defaultRoot = Path.of(System.getProperty("user.home"), ".postgresql", "root.crt");
    org.junit.jupiter.api.Assumptions.assumeFalse(Files.exists(defaultRoot), defaultRoot + " exists");
    assertThatThrownBy(() -> overTls(config("127.0.0.1", "sslmode=verify-ca")))
        .isInstanceOf(SQLException.class).hasMessageContaining("root.crt");
  }

  @Test
  void sslrootcertSystem_trustsTheJvmsCertificateAuthorities_notThisSelfSignedOne() {
    assertThatThrownBy(() -> overTls(config("localhost", "sslrootcert=system")))
        .isInstanceOf(SQLException.class).hasMessageContaining("SSL error");
  }

  @Test
  void theStore_migratesAndWorks_overVerifiedTls() throws SQLException {
    PostgresConfig config = config("localhost", "sslmode=verify-full&sslrootcert=" + cluster.certificate()
        + "&application_name=abilitystore-tls");
    TestPostgres.execute(config.toBuilder().database("postgres").build(), "DROP DATABASE IF EXISTS tls_store");
    TestPostgres.execute(config, "CREATE DATABASE tls_store");
    PostgresConfig store = config.toBuilder().database("tls_store").build();
    Ability ability = Abilities.full("tls-ability", 8);
    try (PostgresRecordStore records = PostgresRecordStore.open(store)) {
      records.upsert(List.of(ability));
      assertThat(records.get("tls-ability")).isPresent();
    }
    assertThat(overTls(store)).isTrue();
  }
}
