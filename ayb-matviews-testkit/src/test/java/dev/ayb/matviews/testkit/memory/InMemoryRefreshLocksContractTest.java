package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.testkit.contract.RefreshLocksContract;

class InMemoryRefreshLocksContractTest extends RefreshLocksContract {
    private static final QualifiedName LEADERBOARD = QualifiedName.of("public", "leaderboard");
    private static final QualifiedName TOTALS = QualifiedName.of("public", "totals");

    private final InMemoryRegistrationStore store = new InMemoryRegistrationStore();
    private final InMemoryRefreshLocks locks = new InMemoryRefreshLocks(
            new InMemoryCatalog().create(LEADERBOARD).create(TOTALS), store);

    @Override
    protected RefreshLocks newLocks() {
        return locks.anotherInstance();
    }

    @Override
    protected RegistrationStore store() {
        return store;
    }

    @Override
    protected QualifiedName view() {
        return LEADERBOARD;
    }

    @Override
    protected QualifiedName otherView() {
        return TOTALS;
    }

    @Override
    protected long locksHeld() {
        return locks.locksHeld();
    }

    /** Memory has no session settings for a refresh to leave behind. */
    @Override
    protected Object sessionSettings(RefreshLocks locks) {
        return "none";
    }
}
