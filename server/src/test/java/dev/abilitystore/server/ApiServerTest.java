package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import dev.abilitystore.testing.Abilities;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point's life cycle: any free port, a taken port, close. */
class ApiServerTest {
  @TempDir Path dataDirectory;

  @Test
  void start_onPortZero_listensOnAFreePortOfTheLoopback() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory, ServerConfig.defaults())) {
      assertThat(server.server().port()).isPositive();
      assertThat(server.server().uri().toString()).isEqualTo("http://127.0.0.1:" + server.server().port());
      assertThat(server.get("/health").status()).isEqualTo(200);
    }
  }

  @Test
  void start_onATakenPort_isInvalidInputNamingTheAddress() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory, ServerConfig.defaults())) {
      int taken = server.server().port();

      assertThatThrownBy(() -> ApiServer.start(server.store(), ServerConfig.defaults().withPort(taken)))
          .isInstanceOf(InvalidInputException.class).hasMessageContaining("127.0.0.1:" + taken);
    }
  }

  @Test
  void close_isIdempotentAndLeavesTheStoreOpen() {
    try (TestServer server = TestServer.startWithoutPostgres(dataDirectory, ServerConfig.defaults())) {
      server.server().close();
      server.server().close();

      server.store().store(Abilities.simple("after-close", "life-cycle", false, TestServer.DIMENSION));
      assertThat(server.store().get("after-close")).isPresent();
    }
  }
}
