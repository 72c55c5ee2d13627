package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.QualifiedName;
import java.util.List;

/** View shapes for unit tests, as the catalog would describe them. */
final class Views {
    static final ViewColumn ID = new ViewColumn("id", "bigint", ValueKind.INTEGER);
    static final ViewColumn NAME = new ViewColumn("name", "text", ValueKind.CHARACTER);
    static final ViewColumn POINTS = new ViewColumn("points", "numeric", ValueKind.NUMERIC);
    static final ViewColumn SEEN = new ViewColumn("seen", "timestamp with time zone", ValueKind.TIMESTAMPTZ);
    static final ViewColumn ACTIVE = new ViewColumn("active", "boolean", ValueKind.BOOLEAN);

    /** public.leaderboard(id, name, points, seen, active) with a unique index on id. */
    static final ViewShape LEADERBOARD = new ViewShape(QualifiedName.parse("public.leaderboard"), 16400, 16401, true,
            List.of(ID, NAME, POINTS, SEEN, ACTIVE), List.of(new SortKey(ID, false)));

    /** The same columns without a unique index. */
    static final ViewShape UNINDEXED = new ViewShape(QualifiedName.parse("public.unindexed"), 16500, 16501, true,
            List.of(ID, NAME, POINTS, SEEN, ACTIVE), List.of());

    private Views() {
    }
}
