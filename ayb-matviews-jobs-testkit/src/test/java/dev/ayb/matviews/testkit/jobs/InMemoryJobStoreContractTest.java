package dev.ayb.matviews.testkit.jobs;

import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.jobs.ScheduleSpec;
import dev.ayb.matviews.jobs.spi.JobStore;
import java.time.Instant;

/** The in-memory store keeps the same promises as the PostgreSQL one. */
class InMemoryJobStoreContractTest extends JobStoreContract {
    private InMemoryJobStore store;

    @Override
    protected JobStore newStore() {
        store = new InMemoryJobStore();
        return store;
    }

    @Override
    protected Schedule createSchedule(ScheduleSpec spec, Instant now) {
        return store.addSchedule(spec, now);
    }
}
