package dev.ayb.matviews;

import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A registration store holding one registration, for core's tests that need a store but no database: lookups
 * find it, runs are recorded as given (history stays empty), and changes to it are not supported.
 */
public final class OneRegistrationStore implements RegistrationStore {
    private final Registration registration;
    private final AtomicLong runIds = new AtomicLong();

    public OneRegistrationStore(Registration registration) {
        this.registration = registration;
    }

    @Override
    public Registration insert(Registration r) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Registration> findById(UUID id) {
        return Optional.of(registration).filter(r -> r.id().equals(id));
    }

    @Override
    public Optional<Registration> findByName(QualifiedName name) {
        return Optional.of(registration).filter(r -> r.qualifiedName().equals(name));
    }

    @Override
    public List<Registration> findAll() {
        return List.of(registration);
    }

    @Override
    public Optional<Registration> update(UUID id, RefreshMode mode, RefreshTimeouts timeouts, Instant updatedAt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Registration> updateTargetLag(UUID id, Long targetLagMs, Instant updatedAt) {
        throw new UnsupportedOperationException();
    }

    @Override
    public boolean delete(UUID id) {
        throw new UnsupportedOperationException();
    }

    @Override
    public RecordedRun recordRun(RunRecord run) {
        return new RecordedRun(registration, new RefreshRun(runIds.incrementAndGet(), run.registrationId(),
                run.view().schema(), run.view().view(), run.mode(), run.trigger(), run.startedAt(),
                run.finishedAt(), run.durationMs(), run.status(), run.error(), run.sqlState()));
    }

    @Override
    public RecordedRun recordLateRun(RunRecord run) {
        return recordRun(run);
    }

    @Override
    public List<RefreshRun> history(UUID registrationId, int limit) {
        return List.of();
    }
}

/** The registry's catalog; these tests never read it. */
