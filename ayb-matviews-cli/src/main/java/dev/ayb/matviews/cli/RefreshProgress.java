package dev.ayb.matviews.cli;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.RefreshTrigger;
import dev.ayb.matviews.RefreshListener;

/**
 * The progress line of a cascade refresh: which view is refreshing now and how many are done. Told by the library
 * as each refresh starts and ends; {@link Output#progress} keeps it off the screen of scripts.
 */
final class RefreshProgress implements RefreshListener {
    private final Output output;
    private int finished;

    RefreshProgress(Output output) {
        this.output = output;
    }

    @Override
    public void refreshStarted(QualifiedName view, RefreshMode mode, RefreshTrigger trigger) {
        output.progress("Refreshing " + view + " (" + finished + " done so far)...");
    }

    @Override
    public void refreshFinished(RefreshRun run) {
        finished++;
    }

    @Override
    public void refreshSkipped(RefreshRun run) {
        finished++;
    }
}
