package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Registrations and their run history in memory, each call atomic (every method is synchronized). Keeps
 * every run: history retention is a setting of the PostgreSQL store, not a promise of the SPI.
 */
public final class InMemoryRegistrationStore implements RegistrationStore {
    private final Map<UUID, Registration> registrations = new HashMap<>();
    /** Oldest first; the run id is its position + 1, so ids grow with recording order as a sequence's do. */
    private final List<RefreshRun> runs = new ArrayList<>();

    @Override
    public synchronized Registration insert(Registration registration) {
        Objects.requireNonNull(registration, "registration");
        if (findByName(registration.qualifiedName()).isPresent()) {
            throw new MatviewException(ErrorCode.ALREADY_REGISTERED, registration.qualifiedName());
        }
        registrations.put(registration.id(), registration);
        return registration;
    }

    @Override
    public synchronized Optional<Registration> findById(UUID id) {
        return Optional.ofNullable(registrations.get(id));
    }

    @Override
    public synchronized Optional<Registration> findByName(QualifiedName name) {
        return registrations.values().stream().filter(r -> r.qualifiedName().equals(name)).findFirst();
    }

    @Override
    public synchronized List<Registration> findAll() {
        return registrations.values().stream().sorted(Comparator.comparing(Registration::qualifiedName)).toList();
    }

    @Override
    public synchronized Optional<Registration> update(UUID id, RefreshMode mode, RefreshTimeouts timeouts,
                                                      Instant updatedAt) {
        return findById(id).map(r -> put(new Registration(r.id(), r.schemaName(), r.viewName(), mode, timeouts,
                r.changeTracking(), r.lastRefreshAt(), r.lastRefreshDurationMs(), r.lastRefreshStatus(),
                r.lastRefreshError(), r.lastSuccessAt(), r.createdAt(), updatedAt, r.targetLagMs(), r.nextRefreshAt())));
    }

    @Override
    public synchronized Optional<Registration> updateTargetLag(UUID id, @Nullable Long targetLagMs,
                                                               Instant updatedAt) {
        return findById(id).map(r -> put(new Registration(r.id(), r.schemaName(), r.viewName(), r.refreshMode(),
                r.timeouts(), r.changeTracking(), r.lastRefreshAt(), r.lastRefreshDurationMs(), r.lastRefreshStatus(),
                r.lastRefreshError(), r.lastSuccessAt(), r.createdAt(), updatedAt, targetLagMs, null)));
    }

    @Override
    public synchronized boolean delete(UUID id) {
        runs.removeIf(run -> run.registrationId().equals(id));
        return registrations.remove(id) != null;
    }

    @Override
    public synchronized RecordedRun recordRun(RunRecord run) {
        return record(run, false);
    }

    @Override
    public synchronized RecordedRun recordLateRun(RunRecord run) {
        return record(run, true);
    }

    @Override
    public synchronized List<RefreshRun> history(UUID registrationId, int limit) {
        List<RefreshRun> newestFirst = new ArrayList<>();
        for (int i = runs.size() - 1; i >= 0 && newestFirst.size() < limit; i--) {
            if (runs.get(i).registrationId().equals(registrationId)) {
                newestFirst.add(runs.get(i));
            }
        }
        return newestFirst;
    }

    private RecordedRun record(RunRecord run, boolean late) {
        Registration current = findById(run.registrationId()).orElseThrow(() -> new MatviewException(
                ErrorCode.REGISTRATION_NOT_FOUND, ErrorCode.REGISTRATION_NOT_FOUND.defaultMessage(), run.view(),
                null, null));
        boolean finishedAfterTheRecordedOne = current.lastRefreshAt() == null
                || !current.lastRefreshAt().isAfter(run.finishedAt());
        // A skipped run (nothing refreshed) is a history row only.
        boolean leaveRegistration = run.status() == RefreshStatus.SKIPPED || late && !finishedAfterTheRecordedOne;
        Registration after = leaveRegistration ? lateSuccessAdvanced(current, run) : put(new Registration(current.id(),
                current.schemaName(), current.viewName(), current.refreshMode(), current.timeouts(),
                current.changeTracking(), run.finishedAt(), run.durationMs(), run.status(),
                run.status() == RefreshStatus.SUCCESS ? null : run.error(), lastSuccessAfter(current, run),
                current.createdAt(), run.finishedAt(), current.targetLagMs(), current.nextRefreshAt()));
        RefreshRun stored = new RefreshRun(runs.size() + 1L, current.id(), current.schemaName(), current.viewName(),
                run.mode(), run.trigger(), run.startedAt(), run.finishedAt(), run.durationMs(), run.status(),
                run.error(), run.sqlState());
        runs.add(stored);
        return new RecordedRun(after, stored);
    }

    /** A late success the record left alone still moves the data's "as of", and changes nothing else. */
    private Registration lateSuccessAdvanced(Registration current, RunRecord run) {
        if (run.status() != RefreshStatus.SUCCESS || Objects.equals(lastSuccessAfter(current, run),
                current.lastSuccessAt())) {
            return current;
        }
        return put(new Registration(current.id(), current.schemaName(), current.viewName(), current.refreshMode(),
                current.timeouts(), current.changeTracking(), current.lastRefreshAt(),
                current.lastRefreshDurationMs(), current.lastRefreshStatus(), current.lastRefreshError(),
                lastSuccessAfter(current, run), current.createdAt(), current.updatedAt(), current.targetLagMs(),
                current.nextRefreshAt()));
    }

    /** A success moves the data's "as of" to its start, never backwards; a failure leaves it. */
    private static @Nullable Instant lastSuccessAfter(Registration current, RunRecord run) {
        if (run.status() != RefreshStatus.SUCCESS) {
            return current.lastSuccessAt();
        }
        Instant previous = current.lastSuccessAt();
        return previous != null && previous.isAfter(run.startedAt()) ? previous : run.startedAt();
    }

    private Registration put(Registration registration) {
        registrations.put(registration.id(), registration);
        return registration;
    }
}
