package dev.ayb.matviews.jdbc.support;

import dev.ayb.matviews.Freshness;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.internal.tracking.TargetedViewsQuery;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.UUID;
import javax.sql.DataSource;
import org.jspecify.annotations.Nullable;

/**
 * The views with a target lag, as the jobs module's planner reads them (one query for all) and the plans it writes
 * back. The tables stay this module's business. Not API.
 */
public final class TargetedViews {
    /** Dedupe keys of target-lag jobs start with it; one key per allowed concurrent target-lag refresh. */
    public static final String KEY_PREFIX = "target-lag:";
    /** The payload field of a target-lag job listing the registration ids it refreshes, in order. */
    public static final String PAYLOAD_IDS = "ids";

    private final DataSource dataSource;
    private final LibrarySchema schema;
    private final TargetedViewsQuery query;

    /**
     * @param schema        the library's schema, as {@code AybMatviews.schema()} gives it
     * @param lockNamespace the first key of the library's advisory locks, as {@code AybMatviews.lockNamespace()}
     *                      gives it
     */
    public TargetedViews(DataSource dataSource, String schema, int lockNamespace) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.schema = new LibrarySchema(schema);
        this.query = new TargetedViewsQuery(this.schema, lockNamespace);
    }

    /** Every view with a target, ordered by schema then name, in one query. */
    public Snapshot read() {
        try {
            return Connections.withConnection(dataSource, query::read);
        } catch (SQLException e) {
            throw PgErrors.database("reading the views with a target lag", e);
        }
    }

    /**
     * {@link #read()} and the side row, in one statement: a poller that asks both pays one round trip. The side row
     * comes back whether or not any view has a target.
     */
    public <T> WithSideRow<T> read(SideRow<T> side) {
        Objects.requireNonNull(side, "side");
        try {
            return Connections.withConnection(dataSource, connection -> query.read(connection, side));
        } catch (SQLException e) {
            throw PgErrors.database("reading the views with a target lag", e);
        }
    }

    /**
     * Stores the planned refresh time of each view given (null: none planned), in one statement. Callers pass only
     * the plans that changed, so that an idle deployment writes nothing.
     */
    public void recordPlans(Map<UUID, @Nullable Instant> plans) {
        if (plans.isEmpty()) {
            return;
        }
        UUID[] ids = plans.keySet().toArray(UUID[]::new);
        Timestamp[] times = new Timestamp[ids.length];
        for (int i = 0; i < ids.length; i++) {
            Instant at = plans.get(ids[i]);
            times[i] = at == null ? null : Timestamp.from(at);
        }
        String sql = "UPDATE " + schema.registrations() + " r SET next_refresh_at = p.at"
                + " FROM ROWS FROM (pg_catalog.unnest(?::uuid[]), pg_catalog.unnest(?::timestamptz[])) AS p(id, at)"
                + " WHERE r.id = p.id AND r.next_refresh_at IS DISTINCT FROM p.at";
        try {
            Connections.withConnection(dataSource, connection -> {
                try (PreparedStatement statement = connection.prepareStatement(sql)) {
                    statement.setArray(1, connection.createArrayOf("uuid", ids));
                    statement.setArray(2, connection.createArrayOf("timestamptz", times));
                    return statement.executeUpdate();
                }
            });
        } catch (SQLException e) {
            throw PgErrors.database("recording planned refreshes", e);
        }
    }

    /**
     * @param expectedDurationMs a high percentile of the view's recent successful refresh durations; null before
     *                           its first
     * @param upstream           the materialized views it reads, directly or not (tracked views only)
     * @param refreshActive      whether a target-lag job that refreshes it is queued or running
     */
    public record TargetedView(Registration registration, Freshness freshness, @Nullable Long expectedDurationMs,
                               List<QualifiedName> upstream, boolean refreshActive) {
        public TargetedView {
            Objects.requireNonNull(registration, "registration");
            Objects.requireNonNull(freshness, "freshness");
            upstream = List.copyOf(upstream);
        }
    }

    /** @param activeJobs target-lag jobs queued or running now, across the deployment */
    public record Snapshot(List<TargetedView> views, int activeJobs) {
        public Snapshot {
            views = List.copyOf(views);
        }
    }

    /** @param side what the side row said */
    public record WithSideRow<T>(Snapshot snapshot, T side) {
        public WithSideRow {
            Objects.requireNonNull(snapshot, "snapshot");
            Objects.requireNonNull(side, "side");
        }
    }
}
