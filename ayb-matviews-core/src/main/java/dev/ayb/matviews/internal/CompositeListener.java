package dev.ayb.matviews.internal;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTrigger;
import java.util.List;

/**
 * Tells several listeners, in the order given. Each is called through a {@link SafeListener}, so a listener that
 * throws neither fails the refresh nor keeps the listeners after it from hearing about it.
 */
public final class CompositeListener implements RefreshListener {
    private final List<RefreshListener> listeners;

    public CompositeListener(List<RefreshListener> listeners) {
        this.listeners = listeners.stream().<RefreshListener>map(SafeListener::new).toList();
    }

    @Override
    public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
        listeners.forEach(listener -> listener.refreshStarted(view, mode, trigger));
    }

    @Override
    public void refreshFinished(RefreshRun run) {
        listeners.forEach(listener -> listener.refreshFinished(run));
    }

    @Override
    public void refreshSkipped(RefreshRun run) {
        listeners.forEach(listener -> listener.refreshSkipped(run));
    }

    @Override
    public void refreshRejected(QualifiedName view, RefreshTrigger trigger) {
        listeners.forEach(listener -> listener.refreshRejected(view, trigger));
    }
}
