package dev.ayb.matviews.jdbc.internal.tracking;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * A read of freshness that is exact whichever way the writes are captured. Without the library's replication slot it
 * is the statement alone. With it, the statement must see markers for every write committed up to some moment, and
 * registrations as they were at that moment:
 * <ul>
 *   <li>the slot is caught up first ({@link WalCapture#catchUp}), which makes the markers complete as of a snapshot
 *   it returns (taken before its flush, or before it found nothing to read);</li>
 *   <li>a registration whose row changed after that snapshot (a refresh recorded meanwhile, with writes since it that
 *   no marker records yet) is read again after catching up again; after {@link #ATTEMPTS} it is not reported
 *   current, with a reason.</li>
 * </ul>
 * An instance that saw the slot catches up before its statement; one that did not runs the statement first, which
 * says whether the slot is there (read once per statement, so that every row judges the tables by the same answer).
 */
final class ExactRead {
    static final int ATTEMPTS = 3;
    static final String REFRESHED_WHILE_READ = "refreshed while its freshness was being read; read it again";

    /**
     * One run of the statement.
     *
     * @param walSlot   whether the statement found the slot readable
     * @param rowXmins  each tracked registration's row version ({@code xmin}, 32 bits)
     * @param nextXid   the next transaction id when the statement ran, to widen the row versions with
     */
    record Pass<T>(T value, boolean walSlot, Map<UUID, Long> rowXmins, long nextXid) {
    }

    @FunctionalInterface
    interface Statement<T> {
        Pass<T> run(Connection connection) throws SQLException;
    }

    /** The answer, and the registrations that must not be reported current, each with the reason. */
    record Outcome<T>(T value, Map<UUID, String> notCurrent) {
    }

    private final WalCapture wal;
    /** Whether this instance's last statement found the slot: then it catches up first, saving a statement. */
    private volatile boolean walSeen;

    ExactRead(WalCapture wal) {
        this.wal = wal;
    }

    <T> Outcome<T> read(Connection connection, Statement<T> statement) throws SQLException {
        WalCapture.@Nullable CatchUp caughtUp = walSeen ? wal.catchUp(connection) : null;
        for (int attempt = 1; ; attempt++) {
            Pass<T> pass = statement.run(connection);
            walSeen = pass.walSlot() && !pass.rowXmins().isEmpty();
            if (!walSeen) {
                // No table counts as read from the WAL in this statement (or no tracked view is in it), so its
                // answer needs no markers from the slot.
                return new Outcome<>(pass.value(), Map.of());
            }
            if (caughtUp == null) {
                caughtUp = wal.catchUp(connection);
                continue;
            }
            Map<UUID, String> notCurrent = new HashMap<>();
            String failure = caughtUp.failure();
            XidSnapshot asOf = caughtUp.asOf();
            pass.rowXmins().forEach((id, xmin) -> {
                if (failure != null) {
                    notCurrent.put(id, failure);
                } else if (asOf == null || !asOf.sees(xmin, pass.nextXid())) {
                    notCurrent.put(id, REFRESHED_WHILE_READ);
                }
            });
            if (failure != null || notCurrent.isEmpty() || attempt >= ATTEMPTS) {
                return new Outcome<>(pass.value(), notCurrent);
            }
            caughtUp = wal.catchUp(connection);
        }
    }
}
