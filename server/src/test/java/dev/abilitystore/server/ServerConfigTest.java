package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.abilitystore.InvalidInputException;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerConfigTest {
  @Test
  void defaults_loopback8080OpenUpTo64MiB() {
    ServerConfig config = ServerConfig.defaults();

    assertThat(config.host()).isEqualTo("127.0.0.1");
    assertThat(config.port()).isEqualTo(8080);
    assertThat(config.apiKeys()).isEmpty();
    assertThat(config.authenticationEnabled()).isFalse();
    assertThat(config.openReads()).isFalse();
    assertThat(config.maxBodyBytes()).isEqualTo(64L << 20).isEqualTo(ServerConfig.DEFAULT_MAX_BODY_BYTES);
  }

  @Test
  void withers_changeOneSettingEach() {
    ServerConfig config = ServerConfig.defaults().withHost("0.0.0.0").withPort(0).withApiKeys(List.of("k1"))
        .withOpenReads(true).withMaxBodyBytes(1024);

    assertThat(config).isEqualTo(new ServerConfig("0.0.0.0", 0, List.of("k1"), true, 1024));
    assertThat(config.authenticationEnabled()).isTrue();
  }

  @Test
  void toString_showsHowManyKeysButNeverThem() {
    String text = ServerConfig.defaults().withApiKeys(List.of("secret-one", "secret-two")).toString();

    assertThat(text).contains("apiKeys=2 configured", "port=8080").doesNotContain("secret");
  }

  @Test
  void invalidSettings_areRefusedNamingTheSetting() {
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(65_536)).isInstanceOf(InvalidInputException.class)
        .hasMessageContaining("port");
    assertThatThrownBy(() -> ServerConfig.defaults().withPort(-1)).hasMessageContaining("port");
    assertThatThrownBy(() -> ServerConfig.defaults().withHost(" ")).hasMessageContaining("host");
    assertThatThrownBy(() -> ServerConfig.defaults().withMaxBodyBytes(0)).hasMessageContaining("body");
    assertThatThrownBy(() -> ServerConfig.defaults().withApiKeys(List.of("ok", "")))
        .hasMessageContaining("API key 2 of 2").hasMessageNotContaining("ok");
    assertThatThrownBy(() -> ServerConfig.defaults().withApiKeys(List.of("with space")))
        .hasMessageContaining("API key 1").hasMessageNotContaining("with space");
  }
}
