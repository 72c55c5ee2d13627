package dev.ayb.matviews.servlet;

import dev.ayb.matviews.testkit.PostgresExtension;
import dev.ayb.matviews.testkit.SampleSchema;

/**
 * The views the collection tests read, on top of the seed's schema (users, workouts, leaderboard with its
 * unique index on id):
 * <ul>
 *   <li>{@code scores}: {@value #PLAYERS} rows over the {@code players} table, unique index on id, for
 *       paging, sorting and cursors (the table lets a refresh change the data);</li>
 *   <li>{@code typed}: one row of every type mapping, and one of nulls;</li>
 *   <li>{@code unindexed}: a view without a unique index; {@code not_yet}: unpopulated;</li>
 *   <li>{@code plain_view}: a plain view; {@code sentinel}: a table whose row count proves nothing was written.</li>
 * </ul>
 */
final class CollectionSchema {
    static final int PLAYERS = 3000;
    static final int SENTINEL_ROWS = 5;

    /** The large numeric, as stored in numeric(40,20): 20 digits on either side of the point. */
    static final String BIG_NUMERIC = "12345678901234567890.12345678901234567890";

    private CollectionSchema() {
    }

    static void create(PostgresExtension pg) {
        SampleSchema.create(pg);
        pg.execute(
                "CREATE TABLE players (id int PRIMARY KEY, name text NOT NULL, points int NOT NULL, team text)",
                // Points repeat (ties for sort tests); team is NULL for every tenth player.
                "INSERT INTO players SELECT g, 'player ' || lpad(g::text, 4, '0'), (g * 37) % 100,"
                        + " CASE WHEN g % 10 = 0 THEN NULL ELSE 'team ' || (g % 3) END"
                        + " FROM generate_series(1, " + PLAYERS + ") g",
                "CREATE MATERIALIZED VIEW scores AS SELECT id, name, points, team FROM players",
                "CREATE UNIQUE INDEX scores_id_idx ON scores (id)",
                "CREATE MATERIALIZED VIEW typed AS SELECT * FROM (VALUES"
                        + " (1, " + BIG_NUMERIC + "::numeric(40,20), -0.5::numeric(40,20),"
                        + " '{\"a\": [1, 2.50, {\"b\": null}], \"big\": 123456789012345678901234567890}'::jsonb,"
                        + " '[1, \"x\"]'::json, ARRAY[1, 2, 3], ARRAY[[1.5, 2.25], [3.0, 4.125]]::numeric[],"
                        + " ARRAY['a', NULL, 'c'], '2026-02-22 10:00:00.123+02'::timestamptz,"
                        + " '2026-02-22 10:00:00'::timestamp, '2026-02-22'::date, true, 'text \"quoted\"',"
                        + " 1.5::float4, 0.1::float8, 'NaN'::float8, 'NaN'::numeric,"
                        + " 'a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11'::uuid, 9223372036854775807::int8,"
                        + " 'infinity'::timestamptz),"
                        + " (2, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL,"
                        + " NULL, NULL, NULL, NULL, NULL))"
                        + " AS t(id, amount, small, doc, raw_json, ints, grid, texts, at, local_at, day, flag, label,"
                        + " ratio, fraction, not_a_number, numeric_nan, uid, biggest, forever)",
                "CREATE UNIQUE INDEX typed_id_idx ON typed (id)",
                "CREATE MATERIALIZED VIEW unindexed AS SELECT id, name FROM users",
                "CREATE MATERIALIZED VIEW not_yet AS SELECT id, name FROM users WITH NO DATA",
                "CREATE UNIQUE INDEX not_yet_id_idx ON not_yet (id)",
                "CREATE VIEW plain_view AS SELECT id, name FROM users",
                "CREATE TABLE sentinel (id int PRIMARY KEY)",
                "INSERT INTO sentinel SELECT generate_series(1, " + SENTINEL_ROWS + ")",
                "ANALYZE");
    }
}
