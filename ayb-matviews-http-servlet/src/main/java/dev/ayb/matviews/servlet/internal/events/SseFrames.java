package dev.ayb.matviews.servlet.internal.events;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.json.WireJson;
import dev.ayb.matviews.servlet.internal.Json;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;

/**
 * The bytes of {@code text/event-stream}. JSON written by Jackson has no raw line break (they are escaped
 * inside strings), so each event's data is one {@code data:} line.
 */
final class SseFrames {
    /** How long a client waits before reconnecting, sent once at the start of a stream. */
    static final long RETRY_MILLIS = 3_000;
    static final byte[] OPENING = ("retry: " + RETRY_MILLIS + "\n: connected\n\n").getBytes(StandardCharsets.UTF_8);
    static final byte[] HEARTBEAT = ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8);

    private SseFrames() {
    }

    static byte[] of(RefreshEvent event) {
        // A behind event is a state, not a history row: without an id line it leaves the client's last event id
        // (what it sends back as Last-Event-ID) on the last refresh event, which the history can replay.
        Long id = event.kind() == RefreshEvent.Kind.REFRESH ? event.id() : null;
        return frame(event.kind().wireName(), id, WireJson.refreshEvent(event));
    }

    /** @param id null for an event the history cannot replay: the client's last event id stays as it was */
    static byte[] frame(String name, @Nullable Long id, JsonNode data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(256);
        if (id != null) {
            out.writeBytes(("id: " + id + "\n").getBytes(StandardCharsets.UTF_8));
        }
        out.writeBytes(("event: " + name + "\ndata: ").getBytes(StandardCharsets.UTF_8));
        out.writeBytes(Json.write(data));
        out.writeBytes("\n\n".getBytes(StandardCharsets.UTF_8));
        return out.toByteArray();
    }
}
