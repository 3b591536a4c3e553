package dev.abilitystore.integration;

import dev.abilitystore.infraxa.testing.FakeInfraxa;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link FakeInfraxa} per test class, started before its first test and stopped after its
 * last. Tests keep apart by workspace: {@link Primary#INFRAXA} names it after the data directory.
 */
final class InfraxaServer implements BeforeAllCallback, AfterAllCallback {
  private @Nullable FakeInfraxa fake;

  @Override
  public void beforeAll(ExtensionContext context) {
    fake = FakeInfraxa.start();
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (fake != null) {
      fake.close();
      fake = null;
    }
  }

  FakeInfraxa fake() {
    if (fake == null) {
      throw new IllegalStateException("the fake Infraxa runs only while the test class does");
    }
    return fake;
  }

  URI url() {
    return fake().baseUrl();
  }
}
