package dev.ayb.matviews.servlet;

import dev.ayb.matviews.testkit.PostgresExtension;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * {@code public.every_type}: a materialized view with a column of every type a view commonly exposes, over
 * {@value #ROWS} generated rows (unique index on {@code id}). Each value is drawn from a small pool per
 * column, so values repeat (ties for sorting and the keyset's tiebreak) and about one in five is NULL; the
 * pools hold each type's edge cases (NaN and infinities, the extremes of bigint, char(n) padding, equal
 * values spelled differently such as {@code '1 day'} and {@code '24 hours'}). Generated from a seed, so a
 * failure names the seed that reproduces it.
 */
final class EveryTypeView {
    static final String VIEW = "every_type";
    static final int ROWS = 40;

    /**
     * A column of the view.
     *
     * @param type      its SQL type
     * @param character whether it is a character string type (text, varchar, char(n), name, citext), which the
     *                  filter's {@code ~} matches with the type's own LIKE rather than on the text form
     * @param pool      input texts the rows' values are drawn from
     * @param probes    more input texts filters compare with: spellings the pool does not hold, values longer
     *                  than the column's length or outside its domain
     */
    record Column(String name, String type, boolean character, List<String> pool, List<String> probes) {
        /** Every input text the filters try: the pool's values and the probes. */
        List<String> literals() {
            return Stream.concat(pool.stream(), probes.stream()).distinct().collect(Collectors.toList());
        }
    }

    static final List<Column> COLUMNS = List.of(
            column("t", "text", true, List.of("", "a", "A", "b", "a b", "ab", "é", "Z", "a%b", "a_b", "it's", "\\",
                    " lead", "trail ", "now"), List.of("zzz", "a ")),
            // A linguistic order (a < A < b) where the database's default may be bytewise (A < B < a).
            column("tu", "text COLLATE \"en-x-icu\"", true, List.of("a", "A", "b", "B", "é", "e", "f", "ä", "1",
                    " "), List.of("E")),
            column("vc", "varchar(8)", true, List.of("abc", "ABC", "abcdefgh", "abc ", "", "z"),
                    List.of("abcdefghij", "abcdefgh ")),
            column("ch", "char(4)", true, List.of("ab", "abcd", "a", "", " ab", "AB"),
                    List.of("ab  ", "ab   ", "abcde", "a b")),
            column("qc", "\"char\"", false, List.of("a", "b", "Z", " "), List.of("ab")),
            column("nm", "name", true, List.of("alpha", "Alpha", "beta", "x".repeat(63)), List.of("x".repeat(70))),
            column("ci", "citext", true, List.of("Hello", "hello", "HELLO", "world", "é", "É"), List.of("WORLD")),
            column("num", "numeric(12,3)", false, List.of("0", "-0", "1.5", "1.505", "-1", "123456789.123", "NaN"),
                    List.of("1.50", "1.5049", "1e3", "1.0000000001")),
            column("f4", "real", false, List.of("0", "-0", "1.5", "0.1", "NaN", "Infinity", "-Infinity",
                    "3.4028235e38", "1e-45"), List.of("0.100000001")),
            column("f8", "double precision", false, List.of("0", "-0", "0.1", "0.30000000000000004", "NaN",
                    "Infinity", "-Infinity", "1.7976931348623157e308", "5e-324"), List.of("0.3")),
            column("i2", "smallint", false, List.of("-32768", "32767", "0", "1"), List.of("2")),
            column("i8", "bigint", false, List.of("-9223372036854775808", "9223372036854775807", "0", "-1", "1"),
                    List.of("9223372036854775806")),
            column("b", "bit(3)", false, List.of("000", "101", "111", "010"), List.of("1", "10100")),
            column("vb", "varbit(5)", false, List.of("", "1", "10", "101", "10100", "0"), List.of("1010")),
            column("d", "date", false, List.of("2026-01-01", "2026-12-31", "infinity", "-infinity", "1999-12-31",
                    "4713-01-01 BC"), List.of("2026-06-30")),
            column("tm", "time", false, List.of("00:00", "23:59:59.999999", "12:00", "24:00:00"),
                    List.of("12:00:00.000001")),
            column("tz", "timetz", false, List.of("10:00+02", "08:00+00", "10:00-05", "00:00+14"),
                    List.of("10:00+00")),
            column("ts", "timestamp", false, List.of("2026-01-01 10:00", "2026-01-01 10:00:00.000001", "infinity",
                    "-infinity", "1970-01-01 00:00"), List.of("2026-01-01 10:00:00.0000005")),
            column("tsz", "timestamptz", false, List.of("2026-01-01 10:00+00", "2026-01-01 12:00+02",
                    "2026-01-01 10:00:00.5+00", "infinity", "-infinity"), List.of("2026-01-01 10:00")),
            column("iv", "interval", false, List.of("1 day", "24 hours", "1 mon", "30 days", "-1 day", "0",
                    "1 year 2 mons", "00:00:00.000001"), List.of("720 hours")),
            column("u", "uuid", false, List.of("a0eebc99-9c0b-4ef8-bb6d-6bb9bd380a11",
                    "00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"),
                    List.of("A0EEBC99-9C0B-4EF8-BB6D-6BB9BD380A11")),
            column("ip", "inet", false, List.of("10.0.0.1", "10.0.0.1/8", "10.0.0.0/8", "::1", "192.168.1.1",
                    "fe80::1/64"), List.of("10.0.0.1/32")),
            column("net", "cidr", false, List.of("10.0.0.0/8", "10.0.0.0/16", "192.168.0.0/24", "::/0"),
                    List.of("10.0.0.0")),
            column("mood", "mood", false, List.of("zeta", "alpha", "mid"), List.of()),
            column("ints", "int[]", false, List.of("{}", "{1}", "{1,2}", "{2}", "{NULL}", "{1,NULL}",
                    "{{1,2},{3,4}}"), List.of("{1,2,3}")),
            column("texts", "text[]", false, List.of("{}", "{a}", "{\"a b\"}", "{a,b}", "{NULL}", "{\"\"}"),
                    List.of("{b}")),
            column("js", "json", false, List.of("{}", "[1]", "{\"a\": 1}", "null"), List.of()),
            column("jb", "jsonb", false, List.of("{}", "[1]", "{\"a\": 1}", "{\"a\": 1.0}", "null", "\"x\"", "1",
                    "true"), List.of("{\"a\": 1.00}")),
            column("flag", "boolean", false, List.of("true", "false"), List.of()),
            column("pos", "positive", false, List.of("1", "2", "100"), List.of("-1", "0")),
            column("code", "short_code", true, List.of("abc", "abcde", "ABC"), List.of("abcdefgh")),
            column("price", "price", false, List.of("0", "1.5", "9.99", "10"), List.of("1.499", "-1")),
            column("tiny", "small_positive", false, List.of("1", "999"), List.of("5000", "-5")));

    private EveryTypeView() {
    }

    private static Column column(String name, String type, boolean character, List<String> pool,
                                 List<String> probes) {
        return new Column(name, type, character, pool, probes);
    }

    /** The types, the table, {@value #ROWS} rows generated from {@code seed}, the view and its unique index. */
    static void create(PostgresExtension pg, long seed) {
        pg.execute("CREATE EXTENSION IF NOT EXISTS citext",
                "CREATE TYPE mood AS ENUM ('zeta', 'alpha', 'mid')",
                "CREATE DOMAIN positive AS int CHECK (VALUE > 0)",
                "CREATE DOMAIN small_positive AS positive CHECK (VALUE < 1000)",
                "CREATE DOMAIN short_code AS varchar(5)",
                "CREATE DOMAIN price AS numeric(10,2) CHECK (VALUE >= 0)",
                "CREATE TABLE every_type_rows (id int PRIMARY KEY, "
                        + COLUMNS.stream().map(c -> "\"" + c.name() + "\" " + c.type())
                        .collect(Collectors.joining(", ")) + ")");
        SplittableRandom random = new SplittableRandom(seed);
        List<String> rows = new ArrayList<>();
        for (int id = 1; id <= ROWS; id++) {
            List<String> values = new ArrayList<>();
            values.add(Integer.toString(id));
            for (Column column : COLUMNS) {
                values.add(random.nextInt(5) == 0 ? "NULL"
                        : literal(column.pool().get(random.nextInt(column.pool().size()))) + "::" + column.type());
            }
            rows.add("(" + String.join(", ", values) + ")");
        }
        pg.execute("INSERT INTO every_type_rows VALUES " + String.join(", ", rows),
                "CREATE MATERIALIZED VIEW " + VIEW + " AS SELECT * FROM every_type_rows",
                "CREATE UNIQUE INDEX every_type_id ON " + VIEW + " (id)",
                "ANALYZE " + VIEW);
    }

    /** A SQL string literal (standard_conforming_strings is on: only quotes are doubled). */
    static String literal(String text) {
        return "'" + text.replace("'", "''") + "'";
    }

    /** A string in the filter language: backslash escapes. */
    static String filterString(String text) {
        return "'" + text.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
