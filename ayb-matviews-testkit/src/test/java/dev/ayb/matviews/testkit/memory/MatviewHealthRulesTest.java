package dev.ayb.matviews.testkit.memory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.ayb.matviews.HealthProblem;
import dev.ayb.matviews.HealthReport;
import dev.ayb.matviews.MatviewHealth;
import dev.ayb.matviews.MatviewRegistry;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.UnhealthyView;
import dev.ayb.matviews.spi.RunRecord;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** Which views make the health report unhealthy, checked on the in-memory SPIs. */
class MatviewHealthRulesTest {
    private static final Instant NOW = Instant.parse("2026-03-01T12:00:00Z");
    private static final QualifiedName LEADERBOARD = QualifiedName.of("public", "leaderboard");
    private static final QualifiedName TOTALS = QualifiedName.of("public", "totals");
    private static final Duration THRESHOLD = Duration.ofMinutes(10);

    private final InMemoryCatalog catalog = new InMemoryCatalog().create(LEADERBOARD).create(TOTALS);
    private final InMemoryRegistrationStore store = new InMemoryRegistrationStore();
    private final MatviewRegistry registry = new MatviewRegistry(store, catalog, Clock.fixed(NOW, ZoneOffset.UTC));
    private final Map<UUID, Instant> behindSince = new HashMap<>();
    private final MatviewHealth health = new MatviewHealth(registry, registrations -> Map.copyOf(behindSince),
            Clock.fixed(NOW, ZoneOffset.UTC), THRESHOLD);

    @Test
    void noViewsOrOnlyHealthyViewsIsHealthy() {
        assertThat(health.check().healthy()).isTrue();
        Registration leaderboard = registry.register(LEADERBOARD);
        record(leaderboard, RefreshStatus.SUCCESS);

        HealthReport report = health.check();

        assertThat(report.healthy()).isTrue();
        assertThat(report.views()).isEqualTo(1);
        assertThat(report.checkedAt()).isEqualTo(NOW);
        assertThat(report.behindThreshold()).isEqualTo(THRESHOLD);
    }

    @Test
    void aViewWhoseLastRefreshFailedIsFailingUntilARefreshSucceeds() {
        Registration leaderboard = registry.register(LEADERBOARD);
        registry.register(TOTALS);
        record(leaderboard, RefreshStatus.ERROR);

        HealthReport report = health.check();

        assertThat(report.healthy()).isFalse();
        assertThat(report.views()).isEqualTo(2);
        UnhealthyView failing = report.unhealthy().get(0);
        assertThat(report.unhealthy()).hasSize(1);
        assertThat(failing.view()).isEqualTo(LEADERBOARD);
        assertThat(failing.problems()).containsExactly(HealthProblem.FAILING);
        assertThat(failing.lastRefreshError()).isEqualTo("failed");
        assertThat(failing.behindSince()).isNull();

        record(leaderboard, RefreshStatus.SUCCESS);
        assertThat(health.check().healthy()).isTrue();
    }

    @Test
    void aViewIsBehindOnlyOnceItHasBeenBehindLongerThanTheThreshold() {
        Registration leaderboard = registry.register(LEADERBOARD);

        behindSince.put(leaderboard.id(), NOW.minus(THRESHOLD));
        assertThat(health.check().healthy()).as("exactly the threshold is still fine").isTrue();

        behindSince.put(leaderboard.id(), NOW.minus(THRESHOLD).minusMillis(1));
        UnhealthyView behind = health.check().unhealthy().get(0);
        assertThat(behind.problems()).containsExactly(HealthProblem.BEHIND);
        assertThat(behind.behindSince()).isEqualTo(NOW.minus(THRESHOLD).minusMillis(1));

        assertThat(health.check(Duration.ofHours(1)).healthy()).as("a caller's own threshold").isTrue();
        assertThat(health.check(Duration.ZERO).unhealthy()).extracting(UnhealthyView::view).containsExactly(LEADERBOARD);
    }

    @Test
    void aViewCanBeBothFailingAndBehindAndTheReportIsOrderedByName() {
        Registration totals = registry.register(TOTALS);
        Registration leaderboard = registry.register(LEADERBOARD);
        record(totals, RefreshStatus.ERROR);
        record(leaderboard, RefreshStatus.ERROR);
        behindSince.put(totals.id(), NOW.minus(Duration.ofDays(1)));

        List<UnhealthyView> unhealthy = health.check().unhealthy();

        assertThat(unhealthy).extracting(UnhealthyView::view).containsExactly(LEADERBOARD, TOTALS);
        assertThat(unhealthy.get(1).problems()).isEqualTo(Set.of(HealthProblem.FAILING, HealthProblem.BEHIND));
    }

    @Test
    void aNegativeThresholdIsRefused() {
        assertThatThrownBy(() -> health.check(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("must not be negative");
    }

    private void record(Registration registration, RefreshStatus status) {
        boolean failed = status == RefreshStatus.ERROR;
        store.recordRun(new RunRecord(registration.id(), registration.qualifiedName(), registration.refreshMode(),
                RefreshTrigger.MANUAL, NOW.minusSeconds(2), NOW.minusSeconds(1), 1000, status, failed ? "failed" : null,
                failed ? "XX000" : null));
    }
}
