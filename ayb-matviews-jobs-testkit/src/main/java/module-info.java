/**
 * Testing with the scheduler: the manual job runner, the {@code JobStore} contract and an in-memory job store.
 *
 * <p>JUnit is an optional dependency of the artifact, hence {@code requires static}: only the contract needs it,
 * and a test that runs the contract has it anyway.
 */
module dev.ayb.matviews.testkit.jobs {
    exports dev.ayb.matviews.testkit.jobs;

    // In the exported API: AybJobs, JobStore and the job types; SettableClock.
    requires transitive dev.ayb.matviews.jobs;
    requires transitive dev.ayb.matviews.testkit;
    requires static transitive org.junit.jupiter.api;
    requires static transitive org.jspecify;
}
