package dev.abilitystore.server;

import static dev.abilitystore.server.BadInputTest.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

import dev.abilitystore.fuzz.StoreFingerprint;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.server.TestServer.Reply;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Bad input the fuzz suites found whose rule belongs to core's validation: values one store holds
 * and the other cannot (numbers beyond PostgreSQL's numeric, timestamps beyond either store,
 * sub-microsecond times). Each is refused with 400 and changes nothing, or held alike by both.
 */
class StoreRangeInputTest {
  @RegisterExtension static final PostgresDatabase database = new PostgresDatabase();
  @TempDir Path dataDirectory;

  private static String ability(String id, String more) {
    return "{\"ability_id\": \"" + id + "\", \"ability_name\": \"Known issue\", \"service_name\": \"known\", "
        + "\"description\": \"An input the fuzz suite found\"" + more + "}";
  }

  /**
   * A metadata number PostgreSQL's numeric cannot hold ({@code jsonb} refuses it: "value overflows
   * numeric format") was accepted: the index takes it, PostgreSQL refuses it, the write is queued
   * and retried for ever, and every later write queues behind it (the stores drift apart until
   * someone removes it by hand). Core's validator now refuses it.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1e200000", "-1e131072", "1e-16384"})
  void metadataNumberOutsidePostgresRange_is400_andPoisonsNothing(String number) {
    try (TestServer server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults())) {
      assertRefusedChangingNothing(server, ability("known-number", ", \"metadata\": {\"n\": " + number + "}"));
      Reply next = server.post("/v1/abilities", ability("known-after", ""));
      assertThat(next.json().at("/results/0/secondary").asText()).isEqualTo("stored");
    }
  }

  /**
   * A metadata number whose plain notation is longer than 1000 characters ({@code 1e-999},
   * {@code 1e1000}) was accepted and stored in both stores, but PostgreSQL's {@code jsonb} gives it
   * back in plain notation, which the record store's JSON reader refuses (numbers of at most 1000
   * characters): the row cannot be read, and every scan of PostgreSQL fails on it (sync, failover,
   * restore from PostgreSQL). Core's validator now refuses such numbers.
   */
  @ParameterizedTest
  @ValueSource(strings = {"1e-999", "1e1000", "-1.5e-1500"})
  void metadataNumberOfOver1000CharactersWrittenOut_is400(String number) {
    try (TestServer server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults())) {
      assertRefusedChangingNothing(server, ability("known-plain", ", \"metadata\": {\"n\": " + number + "}"));
    }
  }

  /**
   * A timestamp beyond what the stores hold was accepted: past year 294276 the index overflowed its
   * microseconds (ArithmeticException: a 500), before 4713 BC PostgreSQL refused it and the write
   * poisoned the replication queue. Core's validator now refuses years outside 1 to 9999.
   */
  @ParameterizedTest
  @ValueSource(strings = {"+300000-01-01T00:00:00Z", "+999999999-12-31T23:59:59Z", "-5000-01-01T00:00:00Z"})
  void timestampOutsideTheStores_is400(String timestamp) {
    try (TestServer server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults())) {
      assertRefusedChangingNothing(server, ability("known-time", ", \"created_at\": \"" + timestamp + "\""));
      assertThat(server.post("/v1/abilities", ability("known-after", "")).json().at("/results/0/secondary").asText())
          .isEqualTo("stored");
    }
  }

  /**
   * A timestamp finer than a microsecond was kept to the nanosecond by the index and rounded to the
   * microsecond by PostgreSQL: the stores disagreed on it (what {@code GET} answers depends on which
   * one serves). Core stamps its own timestamps in microseconds for this reason, and now cuts given
   * ones to microseconds too.
   */
  @Test
  void timestampFinerThanAMicrosecond_isHeldAlikeByBothStores() {
    try (TestServer server = TestServer.start(dataDirectory, database.config(), ServerConfig.defaults())) {
      Reply reply = server.post("/v1/abilities", ability("known-nanos",
          ", \"created_at\": \"2026-01-02T03:04:05.123456789Z\""));

      assertThat(reply.status()).isEqualTo(200);
      assertThat(server.store().primary().get("known-nanos").orElseThrow().createdAt())
          .isEqualTo(server.store().secondary().get("known-nanos").orElseThrow().createdAt());
    }
  }

  private static void assertRefusedChangingNothing(TestServer server, String body) {
    StoreFingerprint before = StoreFingerprint.of(server.store());

    assertProblem(server.post("/v1/abilities", body), 400, "invalid-ability");

    assertThat(StoreFingerprint.of(server.store()).differenceFrom(before)).isEmpty();
  }
}
