package dev.ayb.matviews.jobs.internal;

import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.SideRow;
import dev.ayb.matviews.jobs.spi.NextWork;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The queue's "when is the next work?" for the job types given, in one row, with a reading of the database's clock.
 * Asked alone ({@link JdbcJobs#nextWork}) or riding on the target-lag planner's read, so that an idle runner with
 * views to plan sends one statement a poll for both, and its {@link DatabaseClock} needs no reading of its own.
 */
public final class NextWorkQuery implements SideRow<NextWorkQuery.Answer> {
    private final String sql;
    private final List<String> types;

    public NextWorkQuery(LibrarySchema schema, Collection<String> types) {
        this.types = List.copyOf(types);
        this.sql = "SELECT (SELECT min(next_run_at) FROM " + schema.schedules() + " WHERE enabled) AS next_schedule_at,"
                + " (SELECT min(run_at) FROM " + schema.jobs() + " WHERE state = 'queued' AND type = ANY (?))"
                + " AS next_job_at,"
                + " (SELECT min(lease_until) FROM " + schema.jobs() + " WHERE state = 'running') AS next_lease_expiry,"
                + " pg_catalog.clock_timestamp() AS database_time";
    }

    @Override
    public String sql() {
        return sql;
    }

    @Override
    public void bind(PreparedStatement statement, int firstIndex) throws SQLException {
        statement.setArray(firstIndex, statement.getConnection().createArrayOf("text", types.toArray()));
    }

    @Override
    public Answer read(ResultSet row) throws SQLException {
        // Taken once the statement is back, as DatabaseClock takes its own readings: the clock may lag, never lead.
        long receivedNanos = System.nanoTime();
        return new Answer(new NextWork(instant(row, "next_schedule_at"), instant(row, "next_job_at"),
                instant(row, "next_lease_expiry")), Objects.requireNonNull(instant(row, "database_time")),
                receivedNanos);
    }

    private static @Nullable Instant instant(ResultSet row, String column) throws SQLException {
        OffsetDateTime value = row.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }

    /**
     * @param databaseTime  {@code clock_timestamp()} as the statement ran
     * @param receivedNanos {@link System#nanoTime()} when its answer was back
     */
    public record Answer(NextWork nextWork, Instant databaseTime, long receivedNanos) {
    }
}
