package dev.ayb.matviews.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.internal.pg.ViewSource;
import dev.ayb.matviews.collections.internal.pg.ViewState;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which database a read is served from: the replica when there is one and it answers within its lag bound,
 * otherwise the primary or a {@code REPLICA_UNAVAILABLE}, as {@link ReadReplica#fallback()} says. Without a
 * replica, always the primary.
 */
final class ReadRouting {
    private static final Logger LOG = LoggerFactory.getLogger(ReadRouting.class);

    private final ViewSource primary;
    private final @Nullable ViewSource replica;
    private final @Nullable ReadReplica config;
    private final CaughtUp caughtUp = new CaughtUp();

    ReadRouting(ViewSource primary, @Nullable ViewSource replica, @Nullable ReadReplica config) {
        this.primary = primary;
        this.replica = replica;
        this.config = config;
    }

    /** A read against one source; it calls {@link #checkLag} on the state its statement returned. */
    @FunctionalInterface
    interface SourceRead<T> {
        T on(ViewSource source, boolean replica);
    }

    ViewSource first() {
        return replica != null ? replica : primary;
    }

    boolean isReplica(ViewSource source) {
        return source == replica;
    }

    <T> T read(QualifiedName view, SourceRead<T> read) {
        if (replica == null || config == null) {
            return read.on(primary, false);
        }
        String why;
        try {
            return read.on(replica, true);
        } catch (ReplicaBehind e) {
            why = e.getMessage();
        } catch (MatviewException e) {
            if (!ViewSource.unavailable(e)) {
                throw e;
            }
            why = "the replica did not answer: " + e.getMessage();
        }
        if (config.fallback() == ReadReplica.Fallback.PRIMARY) {
            LOG.debug("Reading {} from the primary: {}", view, why);
            return read.on(primary, false);
        }
        LOG.debug("Refusing to read {}: {}", view, why);
        throw new MatviewException(ErrorCode.REPLICA_UNAVAILABLE, view);
    }

    /**
     * @throws ReplicaBehind when a replica's state shows it further behind than the bound, or cannot tell
     */
    void checkLag(ViewState state, boolean fromReplica) {
        if (!fromReplica || config == null) {
            return;
        }
        Long lag = caughtUp.lagMillis(state.server(), state.lagMillis());
        if (lag == null || lag > config.maxLag().toMillis()) {
            throw new ReplicaBehind(lag == null ? "the replica cannot tell how far behind it is"
                    : "the replica is " + lag + " ms behind, more than " + config.maxLag().toMillis() + " ms");
        }
    }

    /** A replica read given up for lag: its answer is discarded, never served. */
    static final class ReplicaBehind extends RuntimeException {
        private static final long serialVersionUID = 1L;

        ReplicaBehind(String message) {
            super(message, null, false, false);
        }
    }
}
