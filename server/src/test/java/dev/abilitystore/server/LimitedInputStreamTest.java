package dev.abilitystore.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class LimitedInputStreamTest {
  @Test
  void read_upToTheLimit_readsEverything() throws IOException {
    try (InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[100]), 100)) {
      assertThat(in.readAllBytes()).hasSize(100);
    }
  }

  @Test
  void read_pastTheLimit_failsWith413AsSoonAsItIsExceeded() {
    InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[1_000_000]), 100);

    assertThatThrownBy(in::readAllBytes).isInstanceOfSatisfying(ProblemException.class,
        refused -> assertThat(refused.problem().status()).isEqualTo(413));
  }

  @Test
  void readByte_pastTheLimit_fails() throws IOException {
    InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);

    assertThat(in.read()).isZero();
    assertThat(in.read()).isZero();
    assertThatThrownBy(in::read).isInstanceOf(ProblemException.class);
  }

  @Test
  void read_zeroBytes_readsNothing() throws IOException {
    InputStream in = new LimitedInputStream(new ByteArrayInputStream(new byte[3]), 2);

    assertThat(in.read(new byte[0], 0, 0)).isZero();
  }
}
