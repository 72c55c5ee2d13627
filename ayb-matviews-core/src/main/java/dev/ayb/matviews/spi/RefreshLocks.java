package dev.ayb.matviews.spi;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import java.util.Optional;

/**
 * Mutual exclusion across every application instance: at most one refresh of a view runs at a time.
 * Trying never waits for the lock; a held lock is reported as {@link LockAttempt.Busy}.
 */
public interface RefreshLocks {

    /**
     * Tries to take the view's lock and, when taken, opens a session in which the refresh runs with
     * the given timeouts.
     */
    LockAttempt tryLock(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts);

    /**
     * Reads the registration, then tries its view's lock in its registered mode, with its own timeouts or
     * else {@code defaultTimeouts}. Locks kept in the same database as the registrations override this to
     * do both in one round trip (refreshing a small view costs little more than its round trips).
     *
     * @return empty when no registration matches {@code ref}; then no lock was tried
     */
    default Optional<RegistrationLockAttempt> tryLock(ViewRef ref, RegistrationStore store,
                                                      RefreshTimeouts defaultTimeouts) {
        Optional<Registration> registration = ref instanceof ViewRef.ById byId ? store.findById(byId.id())
                : store.findByName(((ViewRef.ByName) ref).name());
        return registration.map(found -> new RegistrationLockAttempt(found, tryLock(found.qualifiedName(),
                found.refreshMode(), found.timeouts().orElse(defaultTimeouts))));
    }
}
