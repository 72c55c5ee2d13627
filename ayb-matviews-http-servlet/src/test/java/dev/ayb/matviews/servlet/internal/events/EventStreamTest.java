package dev.ayb.matviews.servlet.internal.events;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.ByteArrayOutputStream;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The per-stream queue: written while the connection takes it, bounded while it does not. */
class EventStreamTest {
    private static final byte[] FRAME = "event: refresh\ndata: {}\n\n".getBytes(StandardCharsets.UTF_8);

    /** A connection whose readiness the test decides. */
    static final class Connection extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
        }

        @Override
        public void write(int b) {
            written.write(b);
        }
    }

    private final AtomicInteger completed = new AtomicInteger();
    private final AtomicInteger released = new AtomicInteger();
    private final AsyncContext async = (AsyncContext) Proxy.newProxyInstance(getClass().getClassLoader(),
            new Class<?>[] {AsyncContext.class}, (proxy, method, args) -> {
                if (method.getName().equals("complete")) {
                    completed.incrementAndGet();
                }
                return null;
            });

    @Test
    void framesAreWrittenInOrderWhileTheConnectionTakesThem() {
        Connection connection = new Connection();
        EventStream stream = new EventStream(async, connection, 4096, released::incrementAndGet);
        stream.replayed(Long.MIN_VALUE);

        stream.send(FRAME);
        stream.live(7L, FRAME);

        assertThat(connection.written.size()).isEqualTo(2 * FRAME.length);
        assertThat(stream.isClosed()).isFalse();
    }

    @Test
    void aConnectionThatTakesNothingFillsItsQueueAndTheStreamIsClosedWithoutBlocking() {
        Connection connection = new Connection();
        connection.ready = false;
        EventStream stream = new EventStream(async, connection, 4096, released::incrementAndGet);
        stream.replayed(Long.MIN_VALUE);

        for (int i = 0; i < 1_000; i++) {
            stream.send(FRAME);
        }

        assertThat(stream.isClosed()).isTrue();
        assertThat(completed).hasValue(1);
        assertThat(released).hasValue(1);
        assertThat(connection.written.size()).isZero();
    }

    @Test
    void whatWaitedIsWrittenWhenTheConnectionCanTakeMore() {
        Connection connection = new Connection();
        connection.ready = false;
        EventStream stream = new EventStream(async, connection, 4096, released::incrementAndGet);
        stream.replayed(Long.MIN_VALUE);
        stream.send(FRAME);
        stream.send(FRAME);

        connection.ready = true;
        stream.onWritePossible();

        assertThat(connection.written.size()).isEqualTo(2 * FRAME.length);
    }

    @Test
    void liveEventsDuringTheReplayFollowItWithoutThoseItAlreadySent() {
        Connection connection = new Connection();
        EventStream stream = new EventStream(async, connection, 4096, released::incrementAndGet);
        stream.live(5L, "five\n".getBytes(StandardCharsets.UTF_8));
        stream.live(null, "behind\n".getBytes(StandardCharsets.UTF_8));
        stream.live(6L, "six\n".getBytes(StandardCharsets.UTF_8));
        stream.send("replayed five\n".getBytes(StandardCharsets.UTF_8));

        stream.replayed(5);

        assertThat(connection.written.toString(StandardCharsets.UTF_8)).isEqualTo("replayed five\nbehind\nsix\n");
    }
}
