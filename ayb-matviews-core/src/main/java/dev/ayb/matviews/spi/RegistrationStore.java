package dev.ayb.matviews.spi;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.RegistrationPage;
import dev.ayb.matviews.RegistrationQuery;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Where registrations and their run history are kept. Failures are reported as
 * {@link dev.ayb.matviews.MatviewException}s; storage exceptions never leak through this interface.
 */
public interface RegistrationStore {

    /** Stores a new registration; {@link ErrorCode#ALREADY_REGISTERED} when the view already has one. */
    Registration insert(Registration registration);

    Optional<Registration> findById(UUID id);

    Optional<Registration> findByName(QualifiedName name);

    /** All registrations, ordered by schema then view. */
    List<Registration> findAll();

    /**
     * One page of the registrations that match the query's filter, in its order. This default reads them all
     * and pages in memory, which suits a store that holds few; a database store answers it with one query.
     */
    default RegistrationPage findPage(RegistrationQuery query) {
        List<Registration> matched = findAll().stream().filter(query::matches)
                .sorted(query.sort().comparator(query.descending())).toList();
        int from = (int) Math.min(matched.size(), query.offset());
        int to = (int) Math.min(matched.size(), query.offset() + query.perPage());
        return new RegistrationPage(query.page(), query.perPage(), matched.size(), matched.subList(from, to));
    }

    /** Replaces mode and timeouts; empty when no registration has that id. */
    Optional<Registration> update(UUID id, RefreshMode mode, RefreshTimeouts timeouts, Instant updatedAt);

    /**
     * Sets the target lag (null: none) and forgets any planned refresh; empty when no registration has that id.
     */
    Optional<Registration> updateTargetLag(UUID id, @Nullable Long targetLagMs,
                                           Instant updatedAt);

    /** Removes the registration and its history; false when none had that id. Never touches the view. */
    boolean delete(UUID id);

    /**
     * Records a run that happened without a refresh session (for instance, the view had been dropped): the
     * registration's {@code lastRefresh*} fields take its outcome ({@code lastRefreshAt} is when it finished,
     * the error only when it failed) and a history row is added. {@link #recordLateRun} compares with that
     * finish time.
     */
    RecordedRun recordRun(RunRecord run);

    /**
     * Records a run whose lock was lost before its outcome could be written under it. Another refresh may
     * have run and been recorded meanwhile: the registration's {@code lastRefresh*} fields take this outcome
     * only when no recorded refresh finished after it. The history row is written in every case.
     */
    RecordedRun recordLateRun(RunRecord run);

    /** The most recent runs of a registration, newest first. */
    List<RefreshRun> history(UUID registrationId, int limit);
}
