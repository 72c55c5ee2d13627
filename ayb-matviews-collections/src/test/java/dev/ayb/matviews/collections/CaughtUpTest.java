package dev.ayb.matviews.collections;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A standby seen caught up is held to the time since, not to the age of its last replayed commit. */
class CaughtUpTest {
    private static final String STANDBY = "2026-12-04 10:00:00.123456+00";
    private static final String OTHER = "2026-12-04 11:00:00.654321+00";

    @Test
    void aPrimaryAndAStandbyNeverSeenCaughtUpKeepTheirOwnMeasure() {
        CaughtUp caughtUp = new CaughtUp();

        assertThat(caughtUp.lagMillis(null, 0L)).isZero();
        assertThat(caughtUp.lagMillis(STANDBY, 60_000L)).isEqualTo(60_000L);
        assertThat(caughtUp.lagMillis(STANDBY, null)).isNull();
    }

    @Test
    void aStandbySeenCaughtUpIsHeldToTheTimeSinceWhenThatIsLess() {
        CaughtUp caughtUp = new CaughtUp();
        long before = System.nanoTime();
        assertThat(caughtUp.lagMillis(STANDBY, 0L)).isZero();

        Long pending = caughtUp.lagMillis(STANDBY, 60_000L);
        Long noCommitYet = caughtUp.lagMillis(STANDBY, null);
        long elapsed = (System.nanoTime() - before) / 1_000_000 + 1;

        assertThat(pending).isBetween(0L, elapsed);
        assertThat(noCommitYet).isBetween(0L, elapsed);
        assertThat(caughtUp.lagMillis(STANDBY, 0L)).isZero();
    }

    @Test
    void oneStandbySeenCaughtUpSaysNothingOfAnother() {
        CaughtUp caughtUp = new CaughtUp();
        caughtUp.lagMillis(STANDBY, 0L);

        assertThat(caughtUp.lagMillis(OTHER, 60_000L)).isEqualTo(60_000L);
    }
}
