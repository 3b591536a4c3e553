package dev.abilitystore.testing;

import dev.abilitystore.port.RecordStore;
import dev.abilitystore.port.RecordStoreContract;

/** The fake passes the contract the real store passes, so tests built on it mean something. */
class InMemoryRecordStoreTest extends RecordStoreContract {
  @Override
  protected RecordStore openEmptyStore(MutableClock clock) {
    return new InMemoryRecordStore(clock);
  }
}
