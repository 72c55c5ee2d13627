package dev.ayb.matviews;

import dev.ayb.matviews.internal.SafeListener;
import dev.ayb.matviews.spi.ChangeTracker;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RegistrationLockAttempt;
import dev.ayb.matviews.spi.RegistrationStore;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.spi.ViewState;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes registered views, one refresh of a view at a time across every application instance,
 * and records each outcome. Starts no thread: the refresh runs on the caller's thread.
 *
 * <p>Rules kept here, whatever the storage:
 * <ul>
 *   <li>A refresh rejected because another holds the lock records nothing, so the running refresh's
 *       status is never overwritten.</li>
 *   <li>CONCURRENTLY's prerequisites are checked before PostgreSQL is asked, so the caller gets a clear
 *       error instead of PostgreSQL's; that refusal is recorded as a failed run.</li>
 *   <li>The outcome is recorded while the lock is still held, so records of one view never interleave.</li>
 *   <li>Every refresh is logged here and nowhere else, whatever started it: one DEBUG line with its outcome,
 *       and one WARN line more when it failed. Nothing per refresh at INFO: a busy schedule must not flood
 *       the host's log.</li>
 *   <li>A lock whose release cannot be confirmed is never reported released: the run is recorded as it ran,
 *       and the call fails with the session's {@link RefreshSession#releaseFailure()}.</li>
 *   <li>A view whose changes are tracked has its triggers re-synced before each refresh, and the refresh's
 *       session captures, just before the {@code REFRESH}, what the database has committed: only a success
 *       records it, and the view's freshness is judged against it.</li>
 *   <li>"Only if changed" skips a tracked view that is current: no lock beyond the one-query check, no
 *       {@code REFRESH}, {@code lastRefresh*} untouched, and a history row with status {@code skipped}.
 *       A view that is not tracked, or not current, is refreshed as usual.</li>
 * </ul>
 */
public final class RefreshService {
    private static final Logger LOG = LoggerFactory.getLogger(RefreshService.class);
    /** The reason a skipped refresh gives. */
    public static final String SKIPPED_UNCHANGED = "no source of the view changed since its last refresh";

    private final MatviewRegistry registry;
    private final RegistrationStore store;
    private final RefreshLocks locks;
    private final Clock clock;
    private final RefreshTimeouts defaultTimeouts;
    private final RefreshListener listener;
    private final ChangeTracker tracker;

    public RefreshService(MatviewRegistry registry, RegistrationStore store, RefreshLocks locks, Clock clock,
                          RefreshTimeouts defaultTimeouts, RefreshListener listener) {
        this.registry = Objects.requireNonNull(registry, "registry");
        this.store = Objects.requireNonNull(store, "store");
        this.locks = Objects.requireNonNull(locks, "locks");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.defaultTimeouts = Objects.requireNonNull(defaultTimeouts, "defaultTimeouts");
        this.listener = new SafeListener(Objects.requireNonNull(listener, "listener"));
        this.tracker = registry.changeTracker();
    }

    /** Refreshes a registered view now, on this thread. */
    public RefreshResult refresh(ViewRef ref) {
        return refresh(ref, RefreshTrigger.MANUAL);
    }

    /** @param ref a registration id or {@code schema.view} */
    public RefreshResult refresh(String ref) {
        return refresh(ViewRef.parse(ref), RefreshTrigger.MANUAL);
    }

    /**
     * Refreshes a registered view now, on this thread.
     *
     * @throws MatviewException {@link ErrorCode#REFRESH_IN_PROGRESS} when another refresh of the view
     *                          holds the lock; the other codes when the refresh could not run or failed
     */
    public RefreshResult refresh(ViewRef ref, RefreshTrigger trigger) {
        return refresh(ref, trigger, false);
    }

    /**
     * Refreshes a registered view now, or, with {@code ifChanged}, only when it may be behind its sources: a
     * tracked view found {@link Freshness.State#CURRENT current} is not refreshed, and the result says
     * {@link RefreshResult#skipped()} with the reason. Views that are not tracked are always refreshed.
     */
    public RefreshResult refresh(ViewRef ref, boolean ifChanged) {
        return refresh(ref, RefreshTrigger.MANUAL, ifChanged);
    }

    /** @param ref a registration id or {@code schema.view} */
    public RefreshResult refresh(String ref, boolean ifChanged) {
        return refresh(ViewRef.parse(ref), RefreshTrigger.MANUAL, ifChanged);
    }

    /**
     * {@link #refresh(ViewRef, RefreshTrigger)}, skipped when {@code ifChanged} and the view is tracked and
     * current (see {@link #refresh(ViewRef, boolean)}).
     */
    public RefreshResult refresh(ViewRef ref, RefreshTrigger trigger, boolean ifChanged) {
        Objects.requireNonNull(ref, "ref");
        Objects.requireNonNull(trigger, "trigger");
        if (ifChanged) {
            RefreshResult skipped = skipIfCurrent(registry.get(ref), trigger);
            if (skipped != null) {
                return skipped;
            }
        }
        RegistrationLockAttempt attempt = locks.tryLock(ref, store, defaultTimeouts)
                .orElseThrow(() -> MatviewRegistry.notFound(ref));
        return proceed(attempt.registration(), trigger, attempt.attempt());
    }

    /**
     * Refreshes a registered view once in {@code mode}, whatever its registered mode, which stays as it is
     * (the run's history row says which mode ran). The fix for a concurrent view that is not populated yet:
     * one standard refresh, and concurrent refreshes work from then on.
     */
    public RefreshResult refresh(ViewRef ref, RefreshMode mode, RefreshTrigger trigger) {
        Objects.requireNonNull(mode, "mode");
        Registration registered = registry.get(ref);
        return refresh(registered.refreshMode() == mode ? registered : inMode(registered, mode), trigger);
    }

    /** @param ref a registration id or {@code schema.view} */
    public RefreshResult refresh(String ref, RefreshMode mode) {
        return refresh(ViewRef.parse(ref), mode, RefreshTrigger.MANUAL);
    }

    private static Registration inMode(Registration r, RefreshMode mode) {
        return new Registration(r.id(), r.schemaName(), r.viewName(), mode, r.timeouts(), r.changeTracking(),
                r.lastRefreshAt(), r.lastRefreshDurationMs(), r.lastRefreshStatus(), r.lastRefreshError(),
                r.lastSuccessAt(), r.createdAt(), r.updatedAt(), r.targetLagMs(), r.nextRefreshAt());
    }

    /**
     * Refreshes a registered view together with the materialized views upstream and/or downstream of
     * it: the minimal set, in dependency order, each under its own lock and in its own registered mode.
     * Views of the set that are not registered are registered in standard mode first (so they get a
     * lock, a status and a history like any other). The run stops at the first failure; the views after
     * it are reported as skipped. Failures of the set are reported in the result, not thrown.
     *
     * @throws MatviewException when the requested view itself cannot be found
     */
    public CascadeRefreshResult refresh(ViewRef ref, Cascade cascade, RefreshTrigger trigger) {
        Objects.requireNonNull(cascade, "cascade");
        Registration target = registry.get(ref);
        List<QualifiedName> order = cascade == Cascade.NONE ? List.of(target.qualifiedName())
                : registry.dependencyGraph().refreshSet(target.qualifiedName(), cascade);
        List<ViewRefreshOutcome> outcomes = new ArrayList<>();
        MatviewException failure = null;
        QualifiedName failedView = null;
        Registration targetAfter = null;
        long targetDuration = 0;
        for (QualifiedName view : order) {
            if (failure != null) {
                outcomes.add(new ViewRefreshOutcome(view, ViewRefreshOutcome.Status.SKIPPED, 0,
                        "not refreshed: " + failedView + " failed first"));
                continue;
            }
            boolean isTarget = view.equals(target.qualifiedName());
            try {
                Registration registration = isTarget ? target : registry.findOrRegister(view);
                RefreshResult result = refresh(registration, isTarget ? trigger : RefreshTrigger.CASCADE);
                outcomes.add(new ViewRefreshOutcome(view, ViewRefreshOutcome.Status.REFRESHED, result.durationMs(), null));
                if (isTarget) {
                    targetAfter = result.registration();
                    targetDuration = result.durationMs();
                }
            } catch (MatviewException e) {
                failure = e;
                failedView = view;
                outcomes.add(new ViewRefreshOutcome(view, ViewRefreshOutcome.Status.FAILED, 0, e.getMessage()));
            }
        }
        if (targetAfter == null) {
            targetAfter = registry.find(ViewRef.of(target.id())).orElse(target);
        }
        return new CascadeRefreshResult(targetAfter, targetDuration, outcomes, failure);
    }

    /** Refreshes the view of an already loaded registration (saves the lookup). */
    public RefreshResult refresh(Registration registration, RefreshTrigger trigger) {
        return refresh(registration, trigger, false);
    }

    /** {@link #refresh(Registration, RefreshTrigger)}, "only if changed" (see {@link #refresh(ViewRef, boolean)}). */
    public RefreshResult refresh(Registration registration, RefreshTrigger trigger, boolean ifChanged) {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(trigger, "trigger");
        if (ifChanged) {
            RefreshResult skipped = skipIfCurrent(registration, trigger);
            if (skipped != null) {
                return skipped;
            }
        }
        LockAttempt attempt = locks.tryLock(registration.qualifiedName(), registration.refreshMode(),
                registration.timeouts().orElse(defaultTimeouts));
        return proceed(registration, trigger, attempt);
    }

    /**
     * The "only if changed" check: one query, before any lock. A view found current is not refreshed and its
     * registration is left as it is; only a history row says the check ran. No lock is needed for that: a
     * refresh running meanwhile cannot make a current view behind, and the row changes no registration field.
     *
     * @return null when the view must be refreshed
     */
    private @Nullable RefreshResult skipIfCurrent(Registration registration, RefreshTrigger trigger) {
        if (!registration.changeTracking()) {
            return null;
        }
        Instant startedAt = clock.instant();
        long start = System.nanoTime();
        Freshness freshness = tracker.freshness(List.of(registration)).get(registration.id());
        if (freshness == null || !freshness.isCurrent()) {
            return null;
        }
        long durationMs = (System.nanoTime() - start) / 1_000_000;
        RunRecord run = new RunRecord(registration.id(), registration.qualifiedName(), registration.refreshMode(),
                trigger, startedAt, clock.instant(), durationMs, RefreshStatus.SKIPPED, null, null);
        RecordedRun recorded = store.recordRun(run);
        LOG.debug("Refresh of {} ({}, {}) skipped after {} ms: {}", run.view(), run.mode(), run.trigger(),
                durationMs, SKIPPED_UNCHANGED);
        listener.refreshSkipped(recorded.run());
        return new RefreshResult(recorded.registration(), durationMs, true, SKIPPED_UNCHANGED);
    }

    private RefreshResult proceed(Registration registration, RefreshTrigger trigger, LockAttempt attempt) {
        QualifiedName view = registration.qualifiedName();
        if (attempt instanceof LockAttempt.Busy) {
            listener.refreshRejected(view, trigger);
            // Not a failure: the refresh that holds the lock will log its own outcome.
            LOG.debug("Refresh of {} ({}, {}) not started: refresh already in progress", view,
                    registration.refreshMode(), trigger);
            throw new MatviewException(ErrorCode.REFRESH_IN_PROGRESS, view);
        }
        if (attempt instanceof LockAttempt.ViewMissing) {
            MatviewException missing = new MatviewException(ErrorCode.VIEW_NO_LONGER_EXISTS, view);
            Instant now = clock.instant();
            RunRecord run = failedRun(registration, trigger, now, now, 0, missing);
            logOutcome(run, missing);
            RecordedRun recorded = store.recordRun(run);
            listener.refreshFinished(recorded.run());
            throw missing;
        }
        return refreshUnderLock(registration, trigger, ((LockAttempt.Acquired) attempt).session());
    }

    private RefreshResult refreshUnderLock(Registration registration, RefreshTrigger trigger, RefreshSession session) {
        QualifiedName view = registration.qualifiedName();
        RunRecord run;
        MatviewException failure = null;
        RecordedRun recorded = null;
        try (session) {
            if (registration.changeTracking()) {
                syncTracking(registration);
            }
            listener.refreshStarted(view, registration.refreshMode(), trigger);
            Instant startedAt = clock.instant();
            long start = System.nanoTime();
            failure = prerequisiteFailure(registration.refreshMode(), session.view());
            if (failure == null) {
                try {
                    if (registration.changeTracking()) {
                        session.captureChangeSnapshot();
                    }
                    session.refresh();
                } catch (MatviewException e) {
                    failure = e;
                }
            }
            long durationMs = (System.nanoTime() - start) / 1_000_000;
            Instant finishedAt = clock.instant();
            run = failure == null
                    ? new RunRecord(registration.id(), view, registration.refreshMode(), trigger, startedAt, finishedAt,
                            durationMs, RefreshStatus.SUCCESS, null, null)
                    : failedRun(registration, trigger, startedAt, finishedAt, durationMs, failure);
            try {
                recorded = session.record(run);
            } catch (MatviewException e) {
                // Typically the locked connection died with the refresh; retried below on a fresh one.
                if (failure != null) {
                    failure.addSuppressed(e);
                } else if (!session.refreshOutlivesFailedRecord()) {
                    failure = e;
                    run = failedRun(registration, trigger, run.startedAt(), run.finishedAt(), run.durationMs(), e);
                }
            }
        }
        MatviewException releaseFailure = session.releaseFailure().orElse(null);
        if (releaseFailure != null) {
            // The REFRESH ran and is recorded as it ran; the call fails because it may not have run alone, and
            // the lock may still be held where it was taken.
            if (failure == null) {
                failure = releaseFailure;
            } else {
                failure.addSuppressed(releaseFailure);
            }
        }
        if (recorded == null) {
            try {
                recorded = recordAfterRelease(run, failure);
            } catch (MatviewException notRecorded) {
                logOutcome(run, notRecorded);
                throw notRecorded;
            }
        }
        logOutcome(run, failure);
        listener.refreshFinished(recorded.run());
        if (failure != null) {
            throw failure;
        }
        return new RefreshResult(recorded.registration(), run.durationMs());
    }

    /**
     * Re-syncs the view's triggers before its refresh. A failure here must not cost the refresh: the tracker
     * reports a source it could not cover as "trigger missing", so the view stays behind, never wrongly current.
     */
    private void syncTracking(Registration registration) {
        try {
            tracker.sync(registration);
        } catch (RuntimeException e) {
            LOG.warn("Change tracking of {} could not be re-synced before its refresh; it stays behind until it is",
                    registration.qualifiedName(), e);
        }
    }

    /**
     * Records on a fresh connection once the session is gone. Without the lock another refresh may have
     * started meanwhile, but an outcome lost would be worse: "error" must show after a killed refresh. As a
     * late record it never replaces the outcome of a refresh that finished after it (its history row stays).
     */
    private RecordedRun recordAfterRelease(RunRecord run, @Nullable MatviewException failure) {
        try {
            return store.recordLateRun(run);
        } catch (MatviewException e) {
            if (failure != null) {
                failure.addSuppressed(e);
                throw failure;
            }
            throw e;
        }
    }

    /**
     * The one place a refresh is logged: DEBUG with its outcome, plus WARN when it failed (or could not be
     * recorded), so operators see failures at the default level without a line per successful refresh.
     */
    private static void logOutcome(RunRecord run, @Nullable MatviewException failure) {
        if (failure == null) {
            LOG.debug("Refresh of {} ({}, {}) succeeded in {} ms", run.view(), run.mode(), run.trigger(),
                    run.durationMs());
            return;
        }
        LOG.debug("Refresh of {} ({}, {}) failed in {} ms: {}", run.view(), run.mode(), run.trigger(),
                run.durationMs(), failure.getMessage());
        LOG.warn("Refresh of {} ({}, {}) failed after {} ms [{}]: {}", run.view(), run.mode(), run.trigger(),
                run.durationMs(), failure.code().errorName(), failure.getMessage());
    }

    /** PostgreSQL's own rule for CONCURRENTLY, checked first so the caller gets a clear message. */
    private static @Nullable MatviewException prerequisiteFailure(RefreshMode mode, ViewState state) {
        if (mode != RefreshMode.CONCURRENT) {
            return null;
        }
        if (!state.hasUsableUniqueIndex()) {
            return new MatviewException(ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX, state.name());
        }
        if (!state.populated()) {
            return new MatviewException(ErrorCode.CONCURRENT_REQUIRES_POPULATED, state.name());
        }
        return null;
    }

    private static RunRecord failedRun(Registration registration, RefreshTrigger trigger, Instant startedAt,
                                       Instant finishedAt, long durationMs, MatviewException failure) {
        return new RunRecord(registration.id(), registration.qualifiedName(), registration.refreshMode(), trigger,
                startedAt, finishedAt, durationMs, RefreshStatus.ERROR, failure.getMessage(),
                failure.sqlState().orElse(null));
    }
}
