package dev.abilitystore.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.abilitystore.AbilityFilter;
import dev.abilitystore.StoreUnavailableException;
import dev.abilitystore.port.EmbedderStamp;
import dev.abilitystore.port.Health;
import dev.abilitystore.postgres.testing.PostgresDatabase;
import dev.abilitystore.postgres.testing.TcpProxy;
import dev.abilitystore.testing.Abilities;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.slf4j.LoggerFactory;

@Timeout(120)
class StartWhileDownTest {
  @RegisterExtension
  static final PostgresDatabase database = new PostgresDatabase();

  private final ListAppender<ILoggingEvent> storeLog = new ListAppender<>();
  private TcpProxy proxy;
  private PostgresConfig throughProxy;

  @BeforeEach
  void emptyDatabaseBehindACutProxy() {
    database.reset();
    proxy = TcpProxy.inFrontOf(database.config());
    proxy.cut();
    throughProxy = proxy.proxied(database.config()).toBuilder().connectionTimeout(Duration.ofSeconds(1)).build();
    storeLog.start();
    storeLogger().addAppender(storeLog);
  }

  @AfterEach
  void closeProxy() {
    storeLogger().detachAppender(storeLog);
    proxy.close();
  }

  private static Logger storeLogger() {
    return (Logger) LoggerFactory.getLogger(PostgresRecordStore.class);
  }

  private PostgresConfig startingWhileDown() {
    return throughProxy.toBuilder().startWhileDown(true).build();
  }

  private List<String> warnings() {
    return storeLog.list.stream().filter(event -> event.getLevel() == Level.WARN)
        .map(ILoggingEvent::getFormattedMessage).toList();
  }

  @Test
  void open_unreachable_opensDownAndSaysSoOnce() {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown())) {
      assertThat(warnings()).singleElement().asString()
          .startsWith("[DB] PostgreSQL at " + throughProxy.location() + " is unreachable (")
          .endsWith("); starting without it: writes wait in the replication queue until it is back");
      Health health = store.health();
      assertThat(health.status()).isEqualTo(Health.Status.DOWN);
      assertThat(health.detail()).contains(throughProxy.location(), "migrations are pending");
    }
  }

  @Test
  void operation_whileStillDown_failsNamingTheServerAndTheFix() {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown())) {
      assertThatThrownBy(() -> store.count(AbilityFilter.ALL))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("PostgreSQL at " + throughProxy.location() + " is still unreachable")
          .hasMessageContaining("migrations are pending and count cannot run")
          .hasMessageContaining("start the server or correct DATABASE_URL");
      assertThatThrownBy(() -> store.recordEmbedder(new EmbedderStamp("m", 4)))
          .isInstanceOf(StoreUnavailableException.class);
    }
  }

  @Test
  void operation_afterTheServerIsBack_migratesFirstAndServes() {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown())) {
      assertThatThrownBy(() -> store.get("a")).isInstanceOf(StoreUnavailableException.class);

      proxy.restore();

      assertThat(store.upsert(List.of(Abilities.simple("a", "s", false, 4))).inserted()).isOne();
      assertThat(database.queryLong("SELECT count(*) FROM " + SchemaMigrator.HISTORY_TABLE
          + " WHERE success AND version IN ('1', '2', '3')")).isEqualTo(3);
      store.recordEmbedder(new EmbedderStamp("bge-small-en-v1.5", 384));
      assertThat(store.recordedEmbedder()).contains(new EmbedderStamp("bge-small-en-v1.5", 384));
      assertThat(store.health().isUp()).isTrue();
    }
  }

  @Test
  void health_afterTheServerIsBack_migratesAndIsUp() {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown())) {
      proxy.restore();

      assertThat(store.health().isUp()).isTrue();
      assertThat(database.queryLong("SELECT count(*) FROM pg_tables WHERE tablename = 'abilitystore_settings'"))
          .isOne();
    }
  }

  @Test
  void operation_afterTheServerIsBack_migrationFails_saysWhyAndHealthStaysDown() {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown())) {
      database.execute("CREATE TABLE abilities (something_else INTEGER)");
      proxy.restore();

      assertThatThrownBy(() -> store.count(AbilityFilter.ALL))
          .isInstanceOf(StoreUnavailableException.class)
          .hasMessageContaining("cannot migrate PostgreSQL at " + throughProxy.location());
      assertThat(store.health().detail()).contains("answers, but schema migrations are pending");

      database.execute("DROP TABLE abilities");
      assertThat(store.count(AbilityFilter.ALL)).isZero();
    }
  }

  @Test
  void operations_concurrentlyAfterTheServerIsBack_migrateOnceAndAllSucceed() throws Exception {
    try (PostgresRecordStore store = PostgresRecordStore.open(startingWhileDown());
        ExecutorService callers = Executors.newVirtualThreadPerTaskExecutor()) {
      proxy.restore();
      List<CompletableFuture<Long>> counts = new ArrayList<>();
      for (int caller = 0; caller < 16; caller++) {
        counts.add(CompletableFuture.supplyAsync(() -> store.count(AbilityFilter.ALL), callers));
      }
      for (CompletableFuture<Long> count : counts) {
        assertThat(count.get()).isZero();
      }
    }
    assertThat(database.queryLong("SELECT count(*) FROM " + SchemaMigrator.HISTORY_TABLE + " WHERE version = '3'"))
        .isOne();
  }

  @Test
  void open_unreachableWithoutStartWhileDown_fails() {
    assertThatThrownBy(() -> PostgresRecordStore.open(throughProxy))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining(throughProxy.location())
        .hasMessageContaining("is the server running");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void open_startWhileDown_unknownRole_stillFails() {
    PostgresConfig unknownRole = database.config().toBuilder().user("abilitystore_no_such_role")
        .connectionTimeout(Duration.ofSeconds(1)).startWhileDown(true).build();
    assertThatThrownBy(() -> PostgresRecordStore.open(unknownRole))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("abilitystore_no_such_role");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void open_startWhileDown_missingDatabase_stillFails() {
    PostgresConfig missing = database.config().toBuilder().database("abilitystore_no_such_db")
        .connectionTimeout(Duration.ofSeconds(1)).startWhileDown(true).build();
    assertThatThrownBy(() -> PostgresRecordStore.open(missing))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("abilitystore_no_such_db");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void open_startWhileDown_failingMigration_stillFails() {
    database.execute("CREATE TABLE abilities (something_else INTEGER)");
    PostgresConfig reachable = database.config().toBuilder().startWhileDown(true).build();
    assertThatThrownBy(() -> PostgresRecordStore.open(reachable))
        .isInstanceOf(StoreUnavailableException.class)
        .hasMessageContaining("cannot migrate PostgreSQL at " + reachable.location());
    assertThat(warnings()).isEmpty();
  }

  @Test
  void config_startWhileDown_isOffByDefaultAndShown() {
    assertThat(PostgresConfig.builder("abilitystore").build().startWhileDown()).isFalse();
    assertThat(startingWhileDown().toString()).contains("startWhileDown=true");
    assertThat(startingWhileDown().toBuilder().build().startWhileDown()).isTrue();
  }
}
