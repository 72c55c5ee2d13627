package dev.ayb.matviews.jdbc.internal;

import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.provider.ValueSource;

/** The contract with {@code pg_try_advisory_lock}: the default SESSION lock mode. */
@ParameterizedClass(name = "pool autoCommit={0}")
@ValueSource(booleans = {true, false})
class SessionAdvisoryRefreshLocksContractTest extends AdvisoryRefreshLocksContract {
    @Override
    boolean transactional() {
        return false;
    }
}
