package dev.ayb.matviews.jdbc.internal;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract with {@code pg_try_advisory_xact_lock}: the TRANSACTION lock mode. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class TransactionAdvisoryRefreshLocksContractTest extends AdvisoryRefreshLocksContract {
    @Override
    boolean transactional() {
        return true;
    }
}
