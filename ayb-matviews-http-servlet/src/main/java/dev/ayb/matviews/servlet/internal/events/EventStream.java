package dev.ayb.matviews.servlet.internal.events;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One open {@code text/event-stream} response, written with non-blocking servlet I/O: no thread waits on a
 * client. Frames are queued and written whenever the container says the connection can take more; a client
 * that reads slower than events come fills its queue, and the stream is then closed rather than let grow (the
 * client reconnects with {@code Last-Event-ID} and catches up from the history). Others are never held up:
 * nothing here blocks the thread that offers a frame.
 *
 * <p>While the stream replays the history (right after it opens), live frames are held and released after the
 * replay, so the client sees them in order.
 */
final class EventStream implements WriteListener, AsyncListener {
    private static final Logger LOG = LoggerFactory.getLogger(EventStream.class);

    private final AsyncContext async;
    private final ServletOutputStream out;
    private final int maxQueuedBytes;
    private final Runnable onClose;
    private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
    private int queuedBytes;
    private boolean closed;
    private @Nullable List<Held> heldDuringReplay = new ArrayList<>();

    /** A live frame that arrived during the replay; {@code id} is null for a frame the history cannot replay. */
    record Held(@Nullable Long id, byte[] frame) {
    }

    EventStream(AsyncContext async, ServletOutputStream out, int maxQueuedBytes, Runnable onClose) {
        this.async = async;
        this.out = out;
        this.maxQueuedBytes = maxQueuedBytes;
        this.onClose = onClose;
    }

    /** Queues a frame, written at once if the connection is ready; a full queue closes the stream. */
    synchronized void send(byte[] frame) {
        if (closed) {
            return;
        }
        if (queuedBytes + frame.length > maxQueuedBytes) {
            LOG.debug("Closing an event stream whose client does not keep up ({} bytes queued)", queuedBytes);
            close();
            return;
        }
        queue.add(frame);
        queuedBytes += frame.length;
        drain();
    }

    /** A live frame: held while the replay runs, sent otherwise. */
    synchronized void live(@Nullable Long id, byte[] frame) {
        if (heldDuringReplay == null) {
            send(frame);
        } else if (heldDuringReplay.size() < maxQueuedBytes / 64) {
            heldDuringReplay.add(new Held(id, frame));
        } else {
            close();
        }
    }

    /**
     * Ends the replay: the frames held meanwhile follow, except refresh events the replay already sent.
     *
     * @param lastReplayedId the id of the last replayed event, or the client's Last-Event-ID when none was
     */
    synchronized void replayed(long lastReplayedId) {
        List<Held> held = heldDuringReplay == null ? List.of() : heldDuringReplay;
        heldDuringReplay = null;
        for (Held frame : held) {
            if (frame.id() == null || frame.id() > lastReplayedId) {
                send(frame.frame());
            }
        }
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void drain() {
        if (queue.isEmpty()) {
            return;
        }
        try {
            while (!queue.isEmpty() && out.isReady()) {
                byte[] frame = queue.poll();
                queuedBytes -= frame.length;
                out.write(frame);
            }
            // Sent now rather than when the container's buffer fills: an event is worth nothing late. When the
            // connection is busy, onWritePossible comes back here once it is not, and flushes then.
            if (queue.isEmpty() && out.isReady()) {
                out.flush();
            }
        } catch (IOException | IllegalStateException e) {
            LOG.debug("An event stream's client went away", e);
            close();
        }
    }

    @Override
    public synchronized void onWritePossible() {
        drain();
    }

    @Override
    public void onError(Throwable failure) {
        close();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        close();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onError(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    /** Ends the response and unsubscribes; closing twice is harmless. */
    void close() {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            queue.clear();
        }
        onClose.run();
        try {
            async.complete();
        } catch (IllegalStateException alreadyCompleted) {
            LOG.trace("Event stream already completed", alreadyCompleted);
        }
    }
}
