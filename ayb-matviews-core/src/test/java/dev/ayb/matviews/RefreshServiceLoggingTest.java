package dev.ayb.matviews;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.MatviewCatalog;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.spi.ViewState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What the log says per refresh, read as slf4j-simple prints it: one DEBUG line with view, mode, trigger,
 * duration and outcome, one WARN line more for a failure, whatever started the refresh, and nothing at INFO.
 * The storage and the lock are in memory: which lines are written is the core's rule alone.
 */
class RefreshServiceLoggingTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final String LOGGER = " dev.ayb.matviews.RefreshService - ";

    private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
    private final Registration leaderboard = new Registration(UUID.randomUUID(), "public", "leaderboard",
            RefreshMode.CONCURRENT, RefreshTimeouts.NONE, false, null, null, null, null, null, NOW, NOW);
    private final OneRegistrationStore store = new OneRegistrationStore(leaderboard);
    private Supplier<LockAttempt> nextAttempt;
    private RefreshService refreshes;
    private PrintStream originalErr;

    @BeforeEach
    void captureTheLog() {
        originalErr = System.err;
        System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
        RefreshLocks locks = (view, mode, timeouts) -> nextAttempt.get();
        Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);
        refreshes = new RefreshService(new MatviewRegistry(store, new OneViewCatalog(), clock), store, locks, clock,
                RefreshTimeouts.NONE, RefreshListener.NONE);
    }

    @AfterEach
    void restore() {
        System.setErr(originalErr);
    }

    @Test
    void aSuccessfulRefreshIsOneDebugLineWithViewModeTriggerDurationAndOutcome() {
        nextAttempt = () -> new LockAttempt.Acquired(new Session(null));

        refreshes.refresh("public.leaderboard");

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line)
                .startsWith("DEBUG").contains("public.leaderboard").contains("concurrent").contains("manual")
                .containsPattern("succeeded in \\d+ ms"));
    }

    @Test
    void aFailedScheduledRefreshIsADebugLineAndOneWarning() {
        nextAttempt = () -> new LockAttempt.Acquired(new Session(
                new MatviewException(ErrorCode.REFRESH_FAILED, "refresh of public.leaderboard failed: boom")));

        assertThatThrownBy(() -> refreshes.refresh(leaderboard, RefreshTrigger.SCHEDULE))
                .isInstanceOf(MatviewException.class);

        assertThat(lines()).hasSize(2);
        assertThat(lines().get(0)).startsWith("DEBUG").contains("schedule").containsPattern("failed in \\d+ ms")
                .contains("boom");
        assertThat(lines().get(1)).startsWith("WARN").contains("public.leaderboard").contains("schedule")
                .contains("refresh_failed").contains("boom");
    }

    @Test
    void aDroppedViewFoundByACascadeIsWarnedOnceToo() {
        nextAttempt = LockAttempt.ViewMissing::new;

        assertThatThrownBy(() -> refreshes.refresh(leaderboard, RefreshTrigger.CASCADE))
                .isInstanceOf(MatviewException.class);

        assertThat(lines()).filteredOn(line -> line.startsWith("WARN")).singleElement()
                .satisfies(line -> assertThat(line).contains("cascade")
                        .contains("materialized view no longer exists in database"));
    }

    @Test
    void aRefreshTurnedAwayBecauseAnotherRunsIsNoWarning() {
        nextAttempt = LockAttempt.Busy::new;

        assertThatThrownBy(() -> refreshes.refresh("public.leaderboard")).isInstanceOf(MatviewException.class);

        assertThat(lines()).singleElement().satisfies(line -> assertThat(line).startsWith("DEBUG")
                .contains("refresh already in progress"));
    }

    /** The RefreshService lines printed so far, each from its level on. */
    private List<String> lines() {
        return printed.toString(StandardCharsets.UTF_8).lines().filter(line -> line.contains(LOGGER))
                .map(line -> line.substring(line.indexOf("] ") + 2)).toList();
    }

    /** The lock's session: the refresh succeeds, or fails with {@code failure}; records go to the store. */
    private final class Session implements RefreshSession {
        private final MatviewException failure;

        Session(MatviewException failure) {
            this.failure = failure;
        }

        @Override
        public ViewState view() {
            return new ViewState(leaderboard.qualifiedName(), true, true);
        }

        @Override
        public void refresh() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public RecordedRun record(RunRecord run) {
            return store.recordRun(run);
        }

        @Override
        public void close() {
        }
    }

    private static final class OneViewCatalog implements MatviewCatalog {
        @Override
        public Optional<ViewState> describe(QualifiedName name) {
            return Optional.empty();
        }

        @Override
        public List<ViewState> listMaterializedViews() {
            return List.of();
        }

        @Override
        public Map<QualifiedName, Set<QualifiedName>> materializedViewDependencies() {
            return Map.of();
        }
    }
}
