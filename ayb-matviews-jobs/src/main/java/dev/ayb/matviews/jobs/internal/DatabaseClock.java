package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.jdbc.support.PgErrors;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZoneOffset;
import javax.sql.DataSource;

/**
 * The database's time, for everything the job queue coordinates across instances: leases, their expiry,
 * due ticks, the recovery pass. Every instance then agrees on "now" however far its own clock is off.
 *
 * <p>It reads {@code clock_timestamp()} and counts forward from that reading with {@link System#nanoTime()},
 * reading again every {@link #REREAD_EVERY}: one round trip per interval rather than one per timestamp, and
 * immune to the instance's wall clock being stepped in between; a reading another statement brought back
 * ({@link #offer}) counts as one. It never goes backwards. It must never fall
 * back to the instance's own clock: a reading that fails while no earlier reading exists is an error.
 */
public final class DatabaseClock extends Clock {
    static final Duration REREAD_EVERY = Duration.ofSeconds(10);

    private final DataSource dataSource;
    private Instant anchor;
    private long anchorNanos;
    private Instant lastAnswer = Instant.MIN;

    public DatabaseClock(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public synchronized Instant instant() {
        long nowNanos = System.nanoTime();
        if (anchor == null || nowNanos - anchorNanos >= REREAD_EVERY.toNanos()) {
            try {
                anchor = read();
                anchorNanos = System.nanoTime();
                nowNanos = anchorNanos;
            } catch (RuntimeException e) {
                if (anchor == null) {
                    throw e;
                }
                // Counting on from the last reading is still the database's time; the next call reads again.
            }
        }
        Instant answer = anchor.plusNanos(nowNanos - anchorNanos);
        if (answer.isBefore(lastAnswer)) {
            answer = lastAnswer;
        }
        lastAnswer = answer;
        return answer;
    }

    /**
     * A reading of {@code clock_timestamp()} that another statement brought back (the idle poll's, see
     * {@link NextWorkQuery}): counted on from as a reading of its own would be, so the clock reads again only
     * {@link #REREAD_EVERY} after it. Older than the last reading, it is ignored.
     *
     * @param receivedNanos {@link System#nanoTime()} when the statement's answer was back
     */
    public synchronized void offer(Instant reading, long receivedNanos) {
        if (anchor == null || receivedNanos - anchorNanos > 0) {
            anchor = reading;
            anchorNanos = receivedNanos;
        }
    }

    @Override
    public ZoneId getZone() {
        return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(ZoneId zone) {
        // Only instant() is used; a zone would not change it.
        return this;
    }

    private Instant read() {
        try (Connection connection = dataSource.getConnection();
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT clock_timestamp()")) {
            row.next();
            Instant read = row.getObject(1, OffsetDateTime.class).toInstant();
            if (!connection.getAutoCommit()) {
                // Ends the read-only transaction a pool with autoCommit=false opened, so none is left open.
                connection.rollback();
            }
            return read;
        } catch (SQLException e) {
            throw PgErrors.database("reading the database clock", e);
        }
    }
}
