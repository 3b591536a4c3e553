package dev.abilitystore.infraxa;

import dev.abilitystore.infraxa.testing.FakeInfraxa;
import dev.abilitystore.port.VectorIndex;
import dev.abilitystore.port.VectorIndexContract;
import dev.abilitystore.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;

class InfraxaVectorIndexContractTest extends VectorIndexContract {
  private final FakeInfraxa fake = FakeInfraxa.start();

  @Override
  protected VectorIndex openEmptyIndex(MutableClock clock, int dimension) {
    return InfraxaVectorIndex.open(InfraxaConfig.builder(fake.baseUrl(), dimension).build(),
        new FakeIdSource(fake, InfraxaConfig.DEFAULT_TENANT), clock);
  }

  @AfterEach
  void stopFake() {
    fake.close();
  }
}
