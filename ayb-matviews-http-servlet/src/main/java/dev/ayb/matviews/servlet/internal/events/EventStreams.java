package dev.ayb.matviews.servlet.internal.events;

import dev.ayb.matviews.EventSubscription;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshEvent;
import dev.ayb.matviews.RefreshEvents;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The open event streams of one servlet: at most {@code maxStreams} at a time (one more is answered 503 with
 * {@code Retry-After}), each subscribed to the library's events and replaying, from the run history, what its
 * client missed since the {@code Last-Event-ID} it sent (at most {@link #REPLAY_LIMIT} events). One daemon
 * thread, shared by every stream of the servlet and started with the first, writes the heartbeat comments that
 * keep proxies from closing idle streams; otherwise a stream costs no thread while it waits.
 */
public final class EventStreams implements AutoCloseable {
    /** The most events one reconnect replays; a client further behind reloads what it shows. */
    public static final int REPLAY_LIMIT = 1_000;
    /** Sent with the 503 of a stream refused for the limit. */
    static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(EventStreams.class);

    private final RefreshEvents events;
    private final int maxStreams;
    private final Duration heartbeat;
    private final int maxQueuedBytes;
    private final List<LiveEvents> extraSources;
    private final Set<EventStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger count = new AtomicInteger();
    private final FrameCache frames = new FrameCache();
    private @Nullable ScheduledExecutorService heartbeats;

    /**
     * Events that only live streams carry (never replayed): the admin stream's job and schedule events.
     * {@code subscribe} hands each one, as a complete frame, to the consumer until the subscription is closed.
     */
    @FunctionalInterface
    public interface LiveEvents {
        EventSubscription subscribe(Consumer<byte[]> frames);
    }

    /**
     * @param extraSources what the admin stream carries besides refresh events
     */
    public EventStreams(RefreshEvents events, int maxStreams, Duration heartbeat, int maxQueuedBytes,
                        List<LiveEvents> extraSources) {
        this.events = Objects.requireNonNull(events, "events");
        this.maxStreams = maxStreams;
        this.heartbeat = Objects.requireNonNull(heartbeat, "heartbeat");
        this.maxQueuedBytes = maxQueuedBytes;
        this.extraSources = List.copyOf(extraSources);
    }

    /** The number of streams open now. */
    public int openStreams() {
        return count.get();
    }

    /**
     * Opens a stream of one view's events, or of every view's and the extra sources' (admin), once the caller's
     * access was checked.
     *
     * @param view null for the admin stream
     */
    public ApiResponse open(ApiRequest request, @Nullable QualifiedName view) {
        HttpServletRequest http = request.servletRequest();
        if (!http.isAsyncSupported()) {
            // A mounting mistake of the host's, answered plainly rather than holding a thread per stream.
            LOG.error("Event streams need the servlet mounted with async support (asyncSupported=true)");
            return ErrorResponses.internalError();
        }
        if (count.incrementAndGet() > maxStreams) {
            count.decrementAndGet();
            return ErrorResponses.of(503, "service_unavailable", "too many open event streams")
                    .withHeader("Retry-After", RETRY_AFTER_SECONDS);
        }
        Resources resources = new Resources();
        EventStream stream = null;
        try {
            AsyncContext async = http.startAsync();
            async.setTimeout(0);
            HttpServletResponse response = (HttpServletResponse) async.getResponse();
            response.setStatus(200);
            response.setContentType("text/event-stream");
            response.setHeader("Cache-Control", "no-store");
            response.setHeader("X-Content-Type-Options", "nosniff");
            // Reverse proxies that buffer answers (nginx) would hold events back.
            response.setHeader("X-Accel-Buffering", "no");
            EventStream opened = new EventStream(async, response.getOutputStream(), maxQueuedBytes,
                    resources::release);
            stream = opened;
            async.addListener(opened);
            // Subscribed before anything is written: a client that has the answer's head may refresh at once,
            // and that refresh must be announced on this stream. Live frames are held until the replay is over.
            Consumer<RefreshEvent> live = event -> opened.live(
                    event.kind() == RefreshEvent.Kind.REFRESH ? event.id() : null, frames.of(event));
            resources.add(view == null ? events.subscribe(live) : events.subscribe(view, live));
            if (view == null) {
                for (LiveEvents source : extraSources) {
                    resources.add(source.subscribe(frame -> opened.live(null, frame)));
                }
            }
            response.getOutputStream().setWriteListener(opened);
            opened.send(SseFrames.OPENING);
            open.add(opened);
        } catch (IOException | RuntimeException e) {
            if (stream != null) {
                stream.close();
            }
            resources.release();
            throw e instanceof RuntimeException failure ? failure : new IllegalStateException(e);
        }
        replay(stream, lastEventId(request.header("Last-Event-ID")), view);
        startHeartbeats();
        return ApiResponse.streamed();
    }

    private void replay(EventStream stream, @Nullable Long lastEventId, @Nullable QualifiedName view) {
        if (lastEventId == null) {
            stream.replayed(Long.MIN_VALUE);
            return;
        }
        long last = lastEventId;
        try {
            for (RefreshEvent event : events.replay(lastEventId, view, REPLAY_LIMIT)) {
                stream.send(SseFrames.of(event));
                last = event.id();
            }
        } catch (RuntimeException e) {
            // The stream is open already: the client reconnects (with the same Last-Event-ID) and tries again.
            LOG.warn("Replaying events after id {} failed; closing the stream", lastEventId, e);
            stream.close();
            return;
        }
        stream.replayed(last);
    }

    /** The id a reconnecting client sends back; anything but a non-negative number replays nothing. */
    private static @Nullable Long lastEventId(@Nullable String header) {
        if (header == null || header.isEmpty() || header.length() > 19 || !header.chars().allMatch(Character::isDigit)) {
            return null;
        }
        return Long.parseLong(header);
    }

    /** What one stream holds: its subscriptions and its place in the count, given back once. */
    private final class Resources {
        private final List<EventSubscription> subscriptions = new ArrayList<>();
        private boolean released;

        synchronized void add(EventSubscription subscription) {
            if (released) {
                subscription.close();
            } else {
                subscriptions.add(subscription);
            }
        }

        void release() {
            synchronized (this) {
                if (released) {
                    return;
                }
                released = true;
                subscriptions.forEach(EventSubscription::close);
                subscriptions.clear();
            }
            open.removeIf(EventStream::isClosed);
            count.decrementAndGet();
        }
    }

    private synchronized void startHeartbeats() {
        if (heartbeats != null) {
            return;
        }
        heartbeats = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "ayb-matviews-sse-heartbeat");
            thread.setDaemon(true);
            return thread;
        });
        long millis = heartbeat.toMillis();
        heartbeats.scheduleAtFixedRate(() -> open.forEach(stream -> stream.send(SseFrames.HEARTBEAT)), millis,
                millis, TimeUnit.MILLISECONDS);
    }

    /** Closes every open stream (their clients reconnect elsewhere) and stops the heartbeats. */
    @Override
    public void close() {
        synchronized (this) {
            if (heartbeats != null) {
                heartbeats.shutdownNow();
                heartbeats = null;
            }
        }
        open.forEach(EventStream::close);
    }

    /**
     * The frame of the event being delivered: the hub hands the same event to every stream in turn, so it is
     * encoded once, not once per stream.
     */
    private static final class FrameCache {
        private @Nullable RefreshEvent event;
        private byte @Nullable [] frame;

        synchronized byte[] of(RefreshEvent next) {
            if (next != event || frame == null) {
                event = next;
                frame = SseFrames.of(next);
            }
            return frame;
        }
    }
}
