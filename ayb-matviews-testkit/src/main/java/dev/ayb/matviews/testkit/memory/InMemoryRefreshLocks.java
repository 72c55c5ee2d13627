package dev.ayb.matviews.testkit.memory;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.spi.LockAttempt;
import dev.ayb.matviews.spi.RecordedRun;
import dev.ayb.matviews.spi.RefreshLocks;
import dev.ayb.matviews.spi.RefreshSession;
import dev.ayb.matviews.spi.RunRecord;
import dev.ayb.matviews.spi.ViewState;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * Per-view locks in memory over an {@link InMemoryCatalog} and an {@link InMemoryRegistrationStore}.
 * {@link #anotherInstance()} gives the locks of a second application instance, sharing the same locks. A
 * session's {@code refresh()} changes nothing but the {@linkplain #journal() journal}, unless the test made
 * it {@linkplain #failRefreshOf fail}. Never waits: a held lock is {@link LockAttempt.Busy}.
 */
public final class InMemoryRefreshLocks implements RefreshLocks {
    private final InMemoryCatalog catalog;
    private final InMemoryRegistrationStore store;
    private final Shared shared;

    public InMemoryRefreshLocks(InMemoryCatalog catalog, InMemoryRegistrationStore store) {
        this(catalog, store, new Shared());
    }

    private InMemoryRefreshLocks(InMemoryCatalog catalog, InMemoryRegistrationStore store, Shared shared) {
        this.catalog = Objects.requireNonNull(catalog, "catalog");
        this.store = Objects.requireNonNull(store, "store");
        this.shared = shared;
    }

    /** The locks as another application instance sees them: a lock held here is busy there, and back. */
    public InMemoryRefreshLocks anotherInstance() {
        return new InMemoryRefreshLocks(catalog, store, shared);
    }

    /** Every later refresh of {@code view} fails with {@code failure}, as a refused REFRESH would. */
    public void failRefreshOf(QualifiedName view, MatviewException failure) {
        synchronized (shared) {
            shared.failures.put(Objects.requireNonNull(view, "view"), Objects.requireNonNull(failure, "failure"));
        }
    }

    /** How many locks are held right now, by any instance. */
    public int locksHeld() {
        synchronized (shared) {
            return shared.held.size();
        }
    }

    /**
     * What the sessions did, in order, one line each: {@code lock}, {@code refresh}, {@code record} and
     * {@code release}, each followed by the view, such as {@code "refresh public.leaderboard"}. A refresh that
     * failed is journaled too.
     */
    public List<String> journal() {
        return List.copyOf(shared.journal);
    }

    @Override
    public LockAttempt tryLock(QualifiedName view, RefreshMode mode, RefreshTimeouts timeouts) {
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(timeouts, "timeouts");
        synchronized (shared) {
            Optional<ViewState> state = catalog.describe(view);
            if (state.isEmpty()) {
                return new LockAttempt.ViewMissing();
            }
            if (!shared.held.add(view)) {
                return new LockAttempt.Busy();
            }
            shared.journal.add("lock " + view);
            return new LockAttempt.Acquired(new Session(state.get()));
        }
    }

    /** What every instance of the same locks shares. */
    private static final class Shared {
        final Set<QualifiedName> held = new HashSet<>();
        final Map<QualifiedName, MatviewException> failures = new HashMap<>();
        final List<String> journal = new CopyOnWriteArrayList<>();
    }

    private final class Session implements RefreshSession {
        private final ViewState view;
        private boolean closed;

        Session(ViewState view) {
            this.view = view;
        }

        @Override
        public ViewState view() {
            return view;
        }

        @Override
        public void refresh() {
            MatviewException failure;
            synchronized (shared) {
                requireOpen();
                shared.journal.add("refresh " + view.name());
                failure = shared.failures.get(view.name());
            }
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public RecordedRun record(RunRecord run) {
            synchronized (shared) {
                requireOpen();
                shared.journal.add("record " + run.view());
                return store.recordRun(run);
            }
        }

        @Override
        public void close() {
            synchronized (shared) {
                if (!closed) {
                    closed = true;
                    shared.held.remove(view.name());
                    shared.journal.add("release " + view.name());
                }
            }
        }

        private void requireOpen() {
            if (closed) {
                throw new IllegalStateException("the session of " + view.name() + " is closed");
            }
        }
    }
}
