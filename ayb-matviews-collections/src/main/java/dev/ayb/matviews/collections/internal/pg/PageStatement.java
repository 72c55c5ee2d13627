package dev.ayb.matviews.collections.internal.pg;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.CollectionView;
import dev.ayb.matviews.collections.internal.query.PageRequest;
import dev.ayb.matviews.jdbc.support.CatalogSql;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole read as one statement: the view's state (oid, storage, populated, shape fingerprint, registration,
 * replication lag and, when asked, the count) in one row, followed by the page's rows in the same statement
 * (a UNION ALL), so all of it comes from one snapshot.
 *
 * <p>The rows' SQL ({@link PageQuery}) names the remembered columns; if the view changed, it fails (a column
 * renamed or dropped, the view dropped) or the fingerprint or oid differ, and the caller learns the shape again.
 */
public final class PageStatement {
    /**
     * 0 on a primary, and on a standby that has replayed everything it received: an idle primary sends nothing,
     * so the time of the last replayed commit says nothing of lag then. Otherwise the age of the last replayed
     * commit, which over-estimates the lag when the primary was idle before the pending WAL; the read holds a
     * standby it has seen caught up to the time since instead, when that is less ({@code CaughtUp}). Null when the standby has replayed no commit since it started. "Replayed everything it received"
     * is {@code >=}: after a restart, the receive position restarts at the start of the WAL segment streaming
     * resumed from, behind what was already replayed from local WAL.
     */
    static final String LAG_MILLIS = "CASE WHEN NOT pg_catalog.pg_is_in_recovery() THEN 0"
            + " WHEN pg_catalog.pg_last_wal_replay_lsn() >= pg_catalog.pg_last_wal_receive_lsn() THEN 0"
            + " ELSE CAST(1000 * extract(epoch FROM pg_catalog.now()"
            + " - pg_catalog.pg_last_xact_replay_timestamp()) AS bigint) END";

    /** Which standby answered, so that what one was seen to have replayed is not taken for another's. */
    static final String SERVER = "CASE WHEN pg_catalog.pg_is_in_recovery()"
            + " THEN CAST(pg_catalog.pg_postmaster_start_time() AS text) END";

    /** The state's own columns in {@link #header}, before the registration's. */
    private static final int STATE_COLUMNS = 8;

    private PageStatement() {
    }

    /**
     * The view's state without rows: for a validator check before reading them, or a count.
     *
     * @param count the count query to run with it, or null
     */
    public static Sql state(RegistrationJoin registrations, QualifiedName view, @Nullable Sql count) {
        return header(registrations, view, count);
    }

    /** @param count the count query to run with the rows, or null */
    public static Sql page(RegistrationJoin registrations, CollectionView view, PageRequest request,
                           @Nullable Sql count) {
        // The state and the rows as the two parts of a UNION ALL, each padded with nulls to the other's
        // columns: the state comes once (not repeated on every row), and nothing is joined, numbered or sorted
        // again. The rows part is one subquery, whose rows a UNION ALL passes on in their order (even in a
        // parallel plan, where one process runs all of it); where the state row comes is not relied on.
        Sql sql = new Sql().append("SELECT h.*");
        nulls(sql, PageQuery.columnCount(view, request));
        sql.append(" FROM (").append(header(registrations, view.name(), count)).append(") h UNION ALL SELECT NULL");
        nulls(sql, stateColumns() - 1);
        return sql.append(", q.* FROM (").append(PageQuery.rows(view, request)).append(") q");
    }

    /** How many columns the state takes, before a page's rows' own. */
    private static int stateColumns() {
        return STATE_COLUMNS + RegistrationJoin.columnCount();
    }

    private static void nulls(Sql sql, int count) {
        for (int i = 0; i < count; i++) {
            sql.append(", NULL");
        }
    }

    private static Sql header(RegistrationJoin registrations, QualifiedName view, @Nullable Sql count) {
        Sql sql = new Sql().append("SELECT 1::bigint AS ayb_first, c.oid AS ayb_oid, c.relfilenode AS ayb_relfilenode,"
                + " c.relispopulated AS ayb_populated, " + ShapeFingerprint.of() + " AS ayb_shape, "
                + LAG_MILLIS + " AS ayb_lag_ms, " + SERVER + " AS ayb_server, ");
        if (count == null) {
            sql.append("NULL::bigint");
        } else {
            sql.append("(").append(count).append(")");
        }
        return sql.append(" AS ayb_total, r.* FROM pg_catalog.pg_class c"
                        + " JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace LEFT JOIN LATERAL "
                        + registrations.lateralSubquery("n.nspname", "c.relname") + " r ON true WHERE "
                        + CatalogSql.IS_MATVIEW + " AND n.nspname = ").bind(view.schema())
                .append(" AND c.relname = ").bind(view.view());
    }

    /** The state in the current row (positioned on the first). */
    static ViewState readState(ResultSet row) throws SQLException {
        long lag = row.getLong("ayb_lag_ms");
        Long lagMillis = row.wasNull() ? null : lag;
        long total = row.getLong("ayb_total");
        Long counted = row.wasNull() ? null : total;
        return new ViewState(row.getLong("ayb_oid"), row.getLong("ayb_relfilenode"), row.getBoolean("ayb_populated"),
                row.getString("ayb_shape"), RegistrationJoin.read(row).orElse(null), lagMillis,
                row.getString("ayb_server"), counted);
    }

    /** @return null when the view is no longer a materialized view of that name */
    public static @Nullable ViewState readStateOnly(ResultSet rows) throws SQLException {
        return rows.next() ? readState(rows) : null;
    }

    /**
     * @return null when the view is no longer a materialized view of that name (its rows, if the name still
     *         reads as a relation, come without the state). The state's row is read wherever it comes.
     */
    public static @Nullable FetchedPage readPage(ResultSet rows, PageRequest request, boolean carriesKeys)
            throws SQLException {
        ViewState state = null;
        int position = stateColumns();
        List<List<Object>> values = new ArrayList<>();
        List<List<String>> keys = new ArrayList<>();
        int fieldCount = request.fields().size();
        while (rows.next()) {
            rows.getLong(1);
            if (!rows.wasNull()) {
                // ayb_first: the state's row.
                state = readState(rows);
                continue;
            }
            try {
                values.add(readRow(rows, request, position));
            } catch (SQLException e) {
                if (state == null) {
                    // The name is a relation of other columns now, not the view: its rows mean nothing.
                    return null;
                }
                throw e;
            }
            if (carriesKeys) {
                String[] key = new String[request.order().size()];
                for (int i = 0; i < key.length; i++) {
                    key[i] = rows.getString(position + 1 + fieldCount + i);
                }
                keys.add(Arrays.asList(key));
            }
        }
        if (state == null) {
            return null;
        }
        return new FetchedPage(state, values, keys);
    }

    /** The requested fields of the current row, which follow the state's columns. */
    private static List<Object> readRow(ResultSet rows, PageRequest request, int position) throws SQLException {
        int fieldCount = request.fields().size();
        Object[] row = new Object[fieldCount];
        for (int i = 0; i < fieldCount; i++) {
            row[i] = ValueReader.read(rows, position + 1 + i, request.fields().get(i).kind());
        }
        // Not List.of: a value may be null.
        return Collections.unmodifiableList(Arrays.asList(row));
    }

    /** A page's rows as fetched (one more than the page when there is a next one) and the view's state. */
    public record FetchedPage(ViewState state, List<List<Object>> rows, List<List<String>> keys) {
    }
}
