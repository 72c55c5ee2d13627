package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.testkit.contract.RegistrationStoreContract;

class InMemoryRegistrationStoreContractTest extends RegistrationStoreContract {
    @Override
    protected RegistrationStore newStore() {
        return new InMemoryRegistrationStore();
    }
}
