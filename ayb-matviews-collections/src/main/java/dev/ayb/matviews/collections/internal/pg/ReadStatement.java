package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.jdbc.support.Connections;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * One query of a read, in one round trip on a connection borrowed for it: the read's settings and the query
 * travel as two statements of one message (one Sync), which PostgreSQL runs as one implicit transaction, so
 * the settings hold for the query and end with it.
 *
 * <p>The settings, each {@code set_config(..., true)} (transaction-local, so nothing leaks into the pooled
 * connection): the statement timeout, which PostgreSQL arms at the start of each statement, so the query runs
 * under it; {@code transaction_read_only}, checked when a statement starts executing, so the query cannot
 * write even if a bug let request text into it; the UTC time zone, so zone-less request times and the text of
 * a cursor's timestamp keys mean the same on every connection; {@code extra_float_digits = 3}, so a cursor's
 * float key casts back to the very value it was printed from; {@code plan_cache_mode = force_generic_plan},
 * so that a read's statement is planned once per connection and query shape (once the driver prepares it on
 * the server) rather than at every read. Left to itself PostgreSQL keeps planning it afresh: a generic plan
 * guesses an unknown {@code LIMIT}/{@code OFFSET} at a tenth of the rows, which always looks costlier than a
 * plan for the actual page, and planning this statement (catalog lookups, the registration, the page)
 * measured about three times its execution. The plan of a page is the same for any of its values in practice
 * (the order decides it, and the limit is at most 501 rows); a filter's values are estimated by averages.
 *
 * <p>Why not the alternatives: the driver's read-only flag takes effect in a transaction it opens
 * ({@code BEGIN READ ONLY}), whose commit is a second round trip per read, as a {@code SET} of its own would
 * be; making the session read-only (the driver's {@code readOnlyMode=always}) would have to be undone before
 * the connection goes back to a pool the library shares; a client-side query timeout is cancelled from
 * another connection, counts whole seconds, and sets nothing of the time zone or float digits.
 *
 * <p>The connection is borrowed through {@link Connections#withConnection}: with an auto-commit pool (the
 * common case) that costs nothing more; with {@code autoCommit=false} the driver opens a transaction that the
 * commit rule then ends, one round trip more.
 */
public final class ReadStatement {
    private static final String SETTINGS = "SELECT pg_catalog.set_config('statement_timeout', ?, true),"
            + " pg_catalog.set_config('TimeZone', 'UTC', true),"
            + " pg_catalog.set_config('transaction_read_only', 'on', true),"
            + " pg_catalog.set_config('extra_float_digits', '3', true),"
            + " pg_catalog.set_config('plan_cache_mode', 'force_generic_plan', true); ";

    private final DataSource dataSource;
    private final String timeoutMillis;

    /** @param statementTimeout the longest the query may run */
    public ReadStatement(DataSource dataSource, Duration statementTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.timeoutMillis = Long.toString(statementTimeout.toMillis());
    }

    /** Reads the query's result; the reader is handed it before the first {@code next()}. */
    public <T> T run(Sql query, ResultReader<T> reader) throws SQLException {
        return Connections.withConnection(dataSource, connection -> {
            try (PreparedStatement statement = connection.prepareStatement(SETTINGS + query.text())) {
                statement.setString(1, timeoutMillis);
                query.bindTo(statement, 2);
                statement.execute();
                if (!statement.getMoreResults()) {
                    throw new SQLException("the read's query returned no rows to read");
                }
                try (ResultSet rows = statement.getResultSet()) {
                    return reader.read(rows);
                }
            }
        });
    }

    @FunctionalInterface
    public interface ResultReader<T> {
        T read(ResultSet rows) throws SQLException;
    }
}
