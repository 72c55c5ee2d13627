package dev.ayb.matviews.internal;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTrigger;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Calls the host's listener and swallows whatever it throws, because a metrics hook must never be
 * able to fail a refresh or stand between a refresh and the release of its lock.
 */
public final class SafeListener implements RefreshListener {
    private static final Logger LOG = LoggerFactory.getLogger(SafeListener.class);

    private final RefreshListener delegate;

    public SafeListener(RefreshListener delegate) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
        try {
            delegate.refreshStarted(view, mode, trigger);
        } catch (RuntimeException e) {
            LOG.warn("Refresh listener failed in refreshStarted for {}", view, e);
        }
    }

    @Override
    public void refreshFinished(RefreshRun run) {
        try {
            delegate.refreshFinished(run);
        } catch (RuntimeException e) {
            LOG.warn("Refresh listener failed in refreshFinished for {}", run.qualifiedName(), e);
        }
    }

    @Override
    public void refreshSkipped(RefreshRun run) {
        try {
            delegate.refreshSkipped(run);
        } catch (RuntimeException e) {
            LOG.warn("Refresh listener failed in refreshSkipped for {}", run.qualifiedName(), e);
        }
    }

    @Override
    public void refreshRejected(QualifiedName view, RefreshTrigger trigger) {
        try {
            delegate.refreshRejected(view, trigger);
        } catch (RuntimeException e) {
            LOG.warn("Refresh listener failed in refreshRejected for {}", view, e);
        }
    }
}
