package dev.ayb.matviews.jdbc.internal.tracking;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.internal.Rows;
import dev.ayb.matviews.jdbc.support.LibrarySchema;
import dev.ayb.matviews.jdbc.support.SideRow;
import dev.ayb.matviews.jdbc.support.TargetedViews;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Everything the target-lag planner needs, for every view with a target, in one query: the registration, its
 * freshness (as {@link FreshnessQuery} computes it), its expected refresh duration, the tracked materialized views it
 * reads, and whether a target-lag job for it is queued or running. An idle deployment runs only this.
 */
public final class TargetedViewsQuery {
    /** How many recent successful refreshes the expected duration is learnt from, and the percentile taken. */
    static final int RECENT_RUNS = 10;
    static final double PERCENTILE = 0.9;

    private static final String ORDER = " ORDER BY %1$sschema_name COLLATE \"C\", %1$sview_name COLLATE \"C\"";

    /** The views' rows, unordered. */
    private final String views;
    private final ExactRead exactRead;

    /** @param lockNamespace the first key of the library's advisory locks, which reading the WAL's changes takes */
    public TargetedViewsQuery(LibrarySchema schema, int lockNamespace) {
        TrackingSql sql = new TrackingSql(schema);
        FreshnessQuery freshness = new FreshnessQuery(schema, sql);
        this.exactRead = new ExactRead(new WalCapture(schema, sql, lockNamespace));
        String activeJobs = " FROM " + schema.jobs() + " j WHERE j.state IN ('queued', 'running')"
                + " AND j.dedupe_key LIKE '" + TargetedViews.KEY_PREFIX + "%'";
        // Unqualified columns are the registration's (r): every subquery names its own tables.
        this.views = "SELECT " + Rows.REGISTRATION_COLUMNS + ", " + freshness.columns() + ","
                + " (SELECT pg_catalog.percentile_disc(" + PERCENTILE + ") WITHIN GROUP (ORDER BY h.duration_ms)"
                + " FROM (SELECT h.duration_ms FROM " + schema.runs() + " h WHERE h.registration_id = r.id"
                + " AND h.status = 'success' ORDER BY h.id DESC LIMIT " + RECENT_RUNS + ") h) AS expected_ms,"
                + " (SELECT pg_catalog.array_agg(t.schema_name || '.' || t.relation_name) FROM "
                + schema.trackedRelations() + " t WHERE t.registration_id = r.id AND t.kind = 'matview') AS upstream,"
                + " EXISTS (SELECT 1" + activeJobs + " AND j.payload -> '" + TargetedViews.PAYLOAD_IDS + "' @>"
                + " pg_catalog.jsonb_build_array(r.id::text)) AS refresh_active,"
                + " (SELECT count(*)" + activeJobs + ") AS active_jobs"
                + " FROM " + schema.registrations() + " r" + freshness.captureJoin()
                + " WHERE r.target_lag_ms IS NOT NULL";
    }

    public TargetedViews.Snapshot read(Connection connection) throws SQLException {
        ExactRead.Outcome<TargetedViews.Snapshot> read = exactRead.read(connection, c -> {
            try (PreparedStatement statement = c.prepareStatement(views + ORDER.formatted("r."));
                 ResultSet rows = statement.executeQuery()) {
                SnapshotRows snapshot = new SnapshotRows();
                while (rows.next()) {
                    snapshot.add(rows);
                }
                return snapshot.pass(snapshot.snapshot());
            }
        });
        return notCurrent(read.value(), read.notCurrent());
    }

    /**
     * The same snapshot and the side row, in one statement. The side row is the outer side of a left join, so that
     * it comes back even when no view has a target (one row, whose view columns are null).
     */
    public <T> TargetedViews.WithSideRow<T> read(Connection connection, SideRow<T> side) throws SQLException {
        String sql = "SELECT side.*, v.* FROM (" + side.sql() + ") side LEFT JOIN (" + views + ") v ON true"
                + ORDER.formatted("v.");
        ExactRead.Outcome<TargetedViews.WithSideRow<T>> read = exactRead.read(connection, c -> {
            try (PreparedStatement statement = c.prepareStatement(sql)) {
                side.bind(statement, 1);
                try (ResultSet rows = statement.executeQuery()) {
                    if (!rows.next()) {
                        throw new SQLException("the side row of the targeted views' query came back empty");
                    }
                    T answer = side.read(rows);
                    SnapshotRows snapshot = new SnapshotRows();
                    do {
                        if (rows.getObject("id") != null) {
                            snapshot.add(rows);
                        }
                    } while (rows.next());
                    return snapshot.pass(new TargetedViews.WithSideRow<>(snapshot.snapshot(), answer));
                }
            }
        });
        TargetedViews.WithSideRow<T> value = read.value();
        return new TargetedViews.WithSideRow<>(notCurrent(value.snapshot(), read.notCurrent()), value.side());
    }

    /** The snapshot with the views that may not be reported current made behind, for the reason given. */
    private static TargetedViews.Snapshot notCurrent(TargetedViews.Snapshot snapshot, Map<UUID, String> notCurrent) {
        if (notCurrent.isEmpty()) {
            return snapshot;
        }
        List<TargetedViews.TargetedView> views = new ArrayList<>();
        for (TargetedViews.TargetedView view : snapshot.views()) {
            String why = notCurrent.get(view.registration().id());
            views.add(why == null ? view : new TargetedViews.TargetedView(view.registration(),
                    FreshnessQuery.notCurrent(view.freshness(), why), view.expectedDurationMs(), view.upstream(),
                    view.refreshActive()));
        }
        return new TargetedViews.Snapshot(views, snapshot.activeJobs());
    }

    /** The views read so far, one row each. */
    private static final class SnapshotRows {
        private final List<TargetedViews.TargetedView> views = new ArrayList<>();
        private final Map<UUID, Long> rowXmins = new HashMap<>();
        private boolean walSlot;
        private long nextXid;
        private int activeJobs;

        void add(ResultSet rows) throws SQLException {
            Registration registration = Rows.registration(rows);
            Freshness freshness = registration.changeTracking() ? FreshnessQuery.freshness(rows)
                    : Freshness.UNTRACKED;
            if (registration.changeTracking()) {
                rowXmins.put(registration.id(), rows.getLong("row_xmin"));
            }
            walSlot = rows.getBoolean("wal_slot");
            nextXid = rows.getLong("next_xid");
            long expected = rows.getLong("expected_ms");
            Long expectedMs = rows.wasNull() ? null : expected;
            views.add(new TargetedViews.TargetedView(registration, freshness, expectedMs,
                    upstream(rows.getArray("upstream")), rows.getBoolean("refresh_active")));
            activeJobs = rows.getInt("active_jobs");
        }

        TargetedViews.Snapshot snapshot() {
            return new TargetedViews.Snapshot(views, activeJobs);
        }

        <V> ExactRead.Pass<V> pass(V value) {
            return new ExactRead.Pass<>(value, walSlot, rowXmins, nextXid);
        }
    }

    private static List<QualifiedName> upstream(Array array) throws SQLException {
        if (array == null) {
            return List.of();
        }
        List<QualifiedName> names = new ArrayList<>();
        for (Object name : (Object[]) array.getArray()) {
            try {
                names.add(QualifiedName.parse((String) name));
            } catch (RuntimeException e) {
                // A name outside the identifiers the library accepts cannot be registered, so has no target either.
            }
        }
        return names;
    }
}
