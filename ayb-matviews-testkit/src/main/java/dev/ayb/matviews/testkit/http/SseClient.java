package dev.ayb.matviews.testkit.http;

import java.io.ByteArrayOutputStream;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodySubscriber;
import java.net.http.HttpResponse.BodySubscribers;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;

/**
 * A {@code text/event-stream} client over the JDK's HTTP client, parsing the stream as it arrives without a
 * thread of its own (so a test or a benchmark can hold a thousand of them). Events wait in a queue for
 * {@link #next(Duration)}; {@link #stopReading()} stops taking bytes from the connection, as a stalled browser
 * tab would, so the server's writes back up.
 */
public final class SseClient implements AutoCloseable {
    /** One event as received; {@code id} is null when the event had no id line. */
    public record Event(@Nullable String id, String event, String data, Instant receivedAt) {
    }

    private final CompletableFuture<HttpResponse.ResponseInfo> head = new CompletableFuture<>();
    private final BlockingQueue<Event> events = new LinkedBlockingQueue<>();
    private final AtomicInteger comments = new AtomicInteger();
    private final CompletableFuture<HttpResponse<String>> response;
    private final EventParser parser = new EventParser();
    private volatile boolean reading = true;
    private volatile Flow.@Nullable Subscription subscription;

    private SseClient(HttpClient client, HttpRequest request) {
        this.response = client.sendAsync(request, info -> {
            head.complete(info);
            return info.statusCode() == 200 ? new StreamSubscriber() : BodySubscribers.ofString(StandardCharsets.UTF_8);
        });
        response.whenComplete((done, failure) -> {
            if (failure != null) {
                head.completeExceptionally(failure);
            }
        });
    }

    /** Sends the request and waits for the answer's status line and headers. */
    public static SseClient open(HttpClient client, HttpRequest request, Duration timeout) {
        SseClient sse = new SseClient(client, request);
        try {
            sse.head.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        } catch (ExecutionException | TimeoutException e) {
            sse.close();
            throw new IllegalStateException("no answer to " + request.uri(), e);
        }
        return sse;
    }

    public int status() {
        return head.join().statusCode();
    }

    public HttpHeaders headers() {
        return head.join().headers();
    }

    /** The body of an answer that was not a stream (an error's JSON); waits for it. */
    public String errorBody() {
        return response.join().body();
    }

    /** The next event, or null when none came within {@code timeout}. */
    public @Nullable Event next(Duration timeout) {
        try {
            return events.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** Every event received and not yet taken, taken now. */
    public List<Event> drain() {
        List<Event> taken = new ArrayList<>();
        events.drainTo(taken);
        return taken;
    }

    /** Comment lines received (heartbeats, the opening comment). */
    public int comments() {
        return comments.get();
    }

    /** Whether the server ended the stream (or the connection failed). */
    public boolean ended() {
        return response.isDone();
    }

    /** Stops reading from the connection: the server's writes back up as a stalled client's would. */
    public void stopReading() {
        reading = false;
    }

    @Override
    public void close() {
        Flow.Subscription current = subscription;
        if (current != null) {
            current.cancel();
        }
        response.cancel(true);
    }

    private final class StreamSubscriber implements BodySubscriber<String> {
        private final CompletableFuture<String> body = new CompletableFuture<>();

        @Override
        public CompletionStage<String> getBody() {
            return body;
        }

        @Override
        public void onSubscribe(Flow.Subscription given) {
            subscription = given;
            given.request(1);
        }

        @Override
        public void onNext(List<ByteBuffer> buffers) {
            for (ByteBuffer buffer : buffers) {
                while (buffer.hasRemaining()) {
                    parser.accept(buffer.get());
                }
            }
            Flow.Subscription current = subscription;
            if (reading && current != null) {
                current.request(1);
            }
        }

        @Override
        public void onError(Throwable failure) {
            body.completeExceptionally(failure);
        }

        @Override
        public void onComplete() {
            body.complete("");
        }
    }

    /** The event-stream format, byte by byte: fields until a blank line, which dispatches the event. */
    private final class EventParser {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private @Nullable String id;
        private String event = "message";
        private @Nullable StringBuilder data;

        void accept(byte next) {
            if (next == '\r') {
                return;
            }
            if (next != '\n') {
                line.write(next);
                return;
            }
            String text = line.toString(StandardCharsets.UTF_8);
            line.reset();
            if (text.isEmpty()) {
                dispatch();
            } else if (text.startsWith(":")) {
                comments.incrementAndGet();
            } else {
                int colon = text.indexOf(':');
                String field = colon < 0 ? text : text.substring(0, colon);
                String value = colon < 0 ? "" : text.substring(colon + 1).replaceFirst("^ ", "");
                switch (field) {
                    case "id" -> id = value;
                    case "event" -> event = value;
                    case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                    default -> {
                    }
                }
            }
        }

        private void dispatch() {
            if (data != null) {
                events.add(new Event(id, event, data.toString(), Instant.now()));
            }
            id = null;
            event = "message";
            data = null;
        }
    }
}
