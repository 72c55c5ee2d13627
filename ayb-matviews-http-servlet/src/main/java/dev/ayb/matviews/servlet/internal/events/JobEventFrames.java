package dev.ayb.matviews.servlet.internal.events;

import dev.ayb.matviews.jobs.AybJobs;
import dev.ayb.matviews.jobs.JobEvent;
import dev.ayb.matviews.json.WireJson;

/**
 * The admin stream's {@code job} and {@code schedule} events: the job or the schedule as the API's job and
 * schedule routes write them. They carry no id (the history cannot replay them), so a client's last event id
 * stays on its last refresh event.
 */
public final class JobEventFrames {
    private JobEventFrames() {
    }

    public static EventStreams.LiveEvents source(AybJobs jobs) {
        return frames -> jobs.events().subscribe(event -> frames.accept(frame(event)));
    }

    static byte[] frame(JobEvent event) {
        return SseFrames.frame(event.kind().wireName(), null, event.kind() == JobEvent.Kind.JOB
                ? WireJson.job(event.job()) : WireJson.schedule(event.schedule()));
    }
}
