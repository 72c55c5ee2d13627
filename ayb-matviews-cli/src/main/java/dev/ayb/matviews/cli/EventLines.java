package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.jobs.Job;
import dev.ayb.matviews.jobs.JobEvent;
import dev.ayb.matviews.jobs.Schedule;
import dev.ayb.matviews.json.WireJson;
import org.jspecify.annotations.Nullable;

/**
 * One line per event for {@code ayb events}: text for people, or JSON Lines ({@code {"event", "id", "data"}}, the
 * name, id and data of the admin stream's Server-Sent Event) for scripts, one compact document a line.
 */
final class EventLines {
    private EventLines() {
    }

    static String text(RefreshEvent event) {
        String head = event.id() + "  " + event.kind().wireName() + "  " + event.view();
        if (event.kind() == RefreshEvent.Kind.BEHIND) {
            return head + "  behind since " + Display.timestamp(event.behindSince());
        }
        return head + "  " + Display.status(event.status()) + "  " + event.durationMs() + "ms  at "
                + Display.timestamp(event.lastRefreshAt());
    }

    static String text(JobEvent event) {
        if (event.kind() == JobEvent.Kind.JOB) {
            Job job = event.job();
            return Display.NONE + "  job  " + JobSummary.of(job);
        }
        Schedule schedule = event.schedule();
        return Display.NONE + "  schedule  " + ScheduleSummary.of(schedule);
    }

    static String json(RefreshEvent event) {
        // Behind events have no id in the stream either: only refreshes can be replayed.
        return line(event.kind().wireName(), event.kind() == RefreshEvent.Kind.REFRESH ? event.id() : null,
                WireJson.refreshEvent(event));
    }

    static String json(JobEvent event) {
        return line(event.kind().wireName(), null,
                event.kind() == JobEvent.Kind.JOB ? WireJson.job(event.job()) : WireJson.schedule(event.schedule()));
    }

    private static String line(String name, @Nullable Long id, JsonNode data) {
        ObjectNode json = CliJson.object();
        json.put("event", name);
        json.put("id", id);
        json.set("data", data);
        return CliJson.compact(json);
    }
}
