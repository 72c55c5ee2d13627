package dev.ayb.matviews.spi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.OneRegistrationStore;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The default lookup-then-lock of {@link RefreshLocks}, which locks kept apart from the registrations rely
 * on: it must try the registered view, in its registered mode, with the right timeouts.
 */
class RefreshLocksTest {
    private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
    private static final RefreshTimeouts DEFAULTS = RefreshTimeouts.of(Duration.ofSeconds(1), Duration.ofSeconds(2));

    private final List<String> tried = new ArrayList<>();
    private final RefreshLocks locks = (view, mode, timeouts) -> {
        tried.add(view + " " + mode + " " + timeouts);
        return new LockAttempt.Busy();
    };

    @Test
    void findsTheRegistrationByIdThenTriesItsViewInItsModeWithTheDefaultTimeouts() {
        Registration registration = registration("public.leaderboard", RefreshMode.CONCURRENT, RefreshTimeouts.NONE);

        Optional<RegistrationLockAttempt> attempt = locks.tryLock(ViewRef.of(registration.id()),
                new OneRegistrationStore(registration), DEFAULTS);

        assertThat(attempt).hasValueSatisfying(a -> {
            assertThat(a.registration()).isEqualTo(registration);
            assertThat(a.attempt()).isInstanceOf(LockAttempt.Busy.class);
        });
        assertThat(tried).containsExactly("public.leaderboard " + RefreshMode.CONCURRENT + " " + DEFAULTS);
    }

    @Test
    void aViewsOwnTimeoutsWinOverTheDefaultsWhenFoundByName() {
        RefreshTimeouts own = RefreshTimeouts.of(null, Duration.ofMinutes(5));
        Registration registration = registration("stats.daily", RefreshMode.STANDARD, own);

        locks.tryLock(ViewRef.of(QualifiedName.parse("stats.daily")), new OneRegistrationStore(registration), DEFAULTS);

        assertThat(tried).containsExactly("stats.daily " + RefreshMode.STANDARD + " " + own.orElse(DEFAULTS));
    }

    @Test
    void anUnknownReferenceTriesNoLock() {
        Registration registration = registration("public.leaderboard", RefreshMode.STANDARD, RefreshTimeouts.NONE);

        assertThat(locks.tryLock(ViewRef.of(UUID.randomUUID()), new OneRegistrationStore(registration), DEFAULTS))
                .isEmpty();
        assertThat(locks.tryLock(ViewRef.of(QualifiedName.parse("public.other")), new OneRegistrationStore(registration),
                DEFAULTS)).isEmpty();
        assertThat(tried).isEmpty();
    }

    private static Registration registration(String view, RefreshMode mode, RefreshTimeouts timeouts) {
        QualifiedName name = QualifiedName.parse(view);
        return new Registration(UUID.randomUUID(), name.schema(), name.view(), mode, timeouts, false, null, null, null,
                null, null, NOW, NOW);
    }
}
