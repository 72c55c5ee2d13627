package dev.ayb.matviews.collections;

import dev.ayb.matviews.QualifiedName;
import java.util.List;

/** View shapes for unit tests, as the catalog would describe them. */
public final class Views {
    public static final CollectionColumn ID = new CollectionColumn("id", "bigint", ValueKind.INTEGER);
    public static final CollectionColumn NAME = new CollectionColumn("name", "text", ValueKind.CHARACTER);
    public static final CollectionColumn POINTS = new CollectionColumn("points", "numeric", ValueKind.NUMERIC);
    public static final CollectionColumn SEEN = new CollectionColumn("seen", "timestamp with time zone", ValueKind.TIMESTAMPTZ);
    public static final CollectionColumn ACTIVE = new CollectionColumn("active", "boolean", ValueKind.BOOLEAN);

    /** public.leaderboard(id, name, points, seen, active) with a unique index on id. */
    public static final CollectionView LEADERBOARD = new CollectionView(QualifiedName.parse("public.leaderboard"), 16400, 16401, true,
            List.of(ID, NAME, POINTS, SEEN, ACTIVE), List.of(new SortKey(ID, false)));

    /** The same columns without a unique index. */
    public static final CollectionView UNINDEXED = new CollectionView(QualifiedName.parse("public.unindexed"), 16500, 16501, true,
            List.of(ID, NAME, POINTS, SEEN, ACTIVE), List.of());

    private Views() {
    }
}
