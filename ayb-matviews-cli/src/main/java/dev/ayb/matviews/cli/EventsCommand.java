package dev.ayb.matviews.cli;

import dev.ayb.matviews.EventSubscription;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.jdbc.AybMatviews;
import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobEvent;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code ayb events}: what {@code GET /api/admin/events} streams, as lines. */
@Command(name = "events", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Print refresh events: the recorded ones, or with --follow the new ones as they come.",
            "Without --follow: the refresh events recorded after --after, oldest first, from the refresh history;"
                    + " then it exits.",
            "With --follow: every new event, as GET /api/admin/events streams them (refreshes and behind events of"
                    + " every view, job and schedule changes), until interrupted or --for has passed.",
            "Text lines start with the event's id (- for events that have none), then its kind and subject; --json"
                    + " prints JSON Lines, one {\"event\", \"id\", \"data\"} document a line."})
final class EventsCommand extends DatabaseCommand {
    static final int MAX_LIMIT = 1_000;

    @Option(names = "--after", paramLabel = "<id>", order = 1,
            description = "Only refresh events after this id, e.g. the last one printed before (default: 0).")
    long after;

    @Option(names = "--limit", paramLabel = "<n>", order = 2,
            description = "How many recorded events to print, 1 to " + MAX_LIMIT + " (default: 100).")
    int limit = 100;

    @Option(names = "--view", paramLabel = "<schema.view>", order = 3,
            description = "Only this view's events (no job or schedule events then).")
    @Nullable String view;

    @Option(names = "--follow", order = 4, description = "Keep printing new events until interrupted.")
    boolean follow;

    @Option(names = "--for", paramLabel = "<duration>", order = 5, converter = DurationConverter.class,
            description = "With --follow, stop after this long, e.g. 10m (default: until interrupted).")
    @Nullable Duration followFor;

    @Mixin
    JsonOutput json;

    EventsCommand(CliContext context) {
        super(context);
    }

    @Override
    void checkArguments() {
        if (limit < 1 || limit > MAX_LIMIT) {
            throw CliFailure.usage("--limit must be between 1 and " + MAX_LIMIT);
        }
        if (after < 0) {
            throw CliFailure.usage("--after must not be negative");
        }
        if (followFor != null && !follow) {
            throw CliFailure.usage("--for needs --follow");
        }
        if (followFor != null && (followFor.isZero() || followFor.isNegative())) {
            throw CliFailure.usage("--for must be positive");
        }
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        QualifiedName only = view == null ? null : QualifiedName.parse(view);
        if (follow) {
            follow(matviews, only, output);
            return;
        }
        for (RefreshEvent event : matviews.events().replay(after, only, limit)) {
            output.line(json.requested ? EventLines.json(event) : EventLines.text(event));
        }
    }

    private void follow(AybMatviews matviews, @Nullable QualifiedName only, Output output) {
        List<EventSubscription> subscriptions = new ArrayList<>();
        // Events arrive on the library's threads; one line must never be cut by another.
        Object printing = new Object();
        try {
            subscriptions.add(only == null
                    ? matviews.events().subscribe(event -> print(printing, output, event))
                    : matviews.events().subscribe(only, event -> print(printing, output, event)));
            if (only == null) {
                subscriptions.add(AybJobs.builder(matviews).build().events()
                        .subscribe(event -> print(printing, output, event)));
            }
            awaitEnd();
        } finally {
            subscriptions.forEach(EventSubscription::close);
        }
    }

    private void print(Object lock, Output output, RefreshEvent event) {
        synchronized (lock) {
            output.line(json.requested ? EventLines.json(event) : EventLines.text(event));
        }
    }

    private void print(Object lock, Output output, JobEvent event) {
        synchronized (lock) {
            output.line(json.requested ? EventLines.json(event) : EventLines.text(event));
        }
    }

    private void awaitEnd() {
        CountDownLatch never = new CountDownLatch(1);
        try {
            if (followFor == null) {
                never.await();
            } else {
                never.await(followFor.toMillis(), TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
