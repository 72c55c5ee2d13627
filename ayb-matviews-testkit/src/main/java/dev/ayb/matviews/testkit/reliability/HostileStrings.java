package dev.ayb.matviews.testkit.reliability;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.jspecify.annotations.Nullable;

/**
 * Adversarial text for every place a caller's string enters the library: a fixed corpus of known-nasty values
 * (quotes, semicolons, comments, {@code schema.view} tricks, Unicode look-alikes, NUL and other control
 * characters, names over PostgreSQL's 63 bytes) followed by random strings built from the same ingredients.
 *
 * <p>Every random string carries a marker ({@code zqx} and a counter) that appears nowhere in the library's SQL:
 * if a marker ever shows up in an executed statement's text, request text reached SQL. The seed is fixed, so a
 * failure names an input that reproduces; {@code -Dreliability.seed=...} explores other ones.
 */
public final class HostileStrings {
    /** Prefix of every marker; no statement the library sends contains it. */
    public static final String MARKER_PREFIX = "zqx";

    /** Known-nasty values, tried first and always. */
    public static final List<String> CORPUS = List.of(
            "", " ", "  ", "\t", "1abc", "bad-name", "bad.name", "bad name", "bad\"quote", "'", "\"", "''", "\"\"",
            "';--", "'; DROP TABLE sentinel; --", "\"; DROP TABLE sentinel; --", "x'); DROP TABLE sentinel; --",
            "leaderboard; DROP TABLE sentinel", "leaderboard\"; DROP TABLE sentinel; --", "/* comment */",
            "leaderboard/*", "*/", "--", "-- comment", "a;b", ";", "$$", "$1", "$tag$x$tag$", "?", "??", "%s", "%n",
            "%00", "\u0000", "a\u0000b", "leaderboard\u0000", "\u0000leaderboard", "\\", "\\x00", "\\0", "\n", "\r\n",
            "a\nb", "\u001b[31mred", "\u007f", "\u0085", "a b", "ｌｅａｄｅｒｂｏａｒｄ", "le\u0430derboard",
            "\u2113eaderboard", "\ufb01", "\u01c5", "\u0130", "\u00df", "leaderboard\u200b", "\u202eleaderboard",
            "\ufeffleaderboard", "\ud800", "\udc00x", "\ud83d\udca5", "x".repeat(63), "x".repeat(64),
            "x".repeat(1000), "\u00e9".repeat(32), "\u00e9".repeat(31) + "x", "public.leaderboard",
            "public..leaderboard",
            ".leaderboard", "public.", ".", "..", "a.b.c", "public.leaderboard.x", "\"public\".\"leaderboard\"",
            "public.\"leaderboard\"", "PUBLIC.LEADERBOARD", "pg_catalog.pg_class", "information_schema.tables",
            "pg_temp.x", "public.sentinel", "sentinel", "public.sentinel; DELETE FROM sentinel",
            "public.leaderboard; DROP TABLE sentinel", "leaderboard ", " leaderboard", "null", "NULL", "undefined",
            "true", "0", "-1", "2147483648", "9223372036854775808", "1e309", "NaN", "Infinity", "-0",
            "00000000-0000-0000-0000-000000000000", "550e8400-e29b-41d4-a716-44665544000g",
            "550e8400e29b41d4a716446655440000", "1-1-1-1-1", "{550e8400-e29b-41d4-a716-446655440000}", "{}", "[]",
            "{\"a\":1}", "<script>alert(1)</script>", "${jndi:ldap://127.0.0.1/x}", "../../etc/passwd", "%2e%2e%2f",
            "%", "%zz", "+", "&", "=", "#", "a\\b", "`", "pg_sleep(10)", "1; SELECT pg_sleep(10)",
            "'||pg_sleep(10)||'", "1 OR 1=1", "' OR '1'='1", "admin'--", "x\" OR \"1\"=\"1", "E'\\x27'",
            "U&\"\\0041\"", "leaderboard') OR ('1'='1", "(SELECT 1)", "lo_import('/etc/passwd')",
            "COPY sentinel TO PROGRAM 'id'", "\\! id", "\\copy sentinel to '/tmp/x'");

    private static final String[] FRAGMENTS = {
        "'", "\"", ";", "--", "/*", "*/", " ", ".", "..", "\\", "$$", "$1", "?", "%", "(", ")", ",", "=", "||", "::",
        "\u0000", "\n", "\r", "\t", "\u001b", "\u007f", "\u200b", "\u202e", "\ufeff", "\u0430", "\uff4c", "\u2113",
        "\u00e9", "\ud83d\udca5", "DROP TABLE sentinel", "DELETE FROM sentinel", "SELECT pg_sleep(10)", "OR 1=1",
        "public", "leaderboard", "sentinel", "pg_catalog", "ayb", "_", "A", "z", "9", "0x27", "E'", "U&'", "null",
    };

    private final SplittableRandom random;
    private long counter;

    public HostileStrings(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** The suite's seed: {@code -Dreliability.seed}, else a fixed one. */
    public static long seed() {
        return Long.getLong("reliability.seed", 20260222L);
    }

    /** How many random inputs each property tries: {@code -Dreliability.tries}, else {@code defaultTries}. */
    public static int tries(int defaultTries) {
        return Integer.getInteger("reliability.tries", defaultTries);
    }

    /**
     * One input and what must never appear in the text of an executed statement: the marker of a random
     * string, or a corpus value distinctive enough that no statement of the library contains it by chance.
     */
    public record Hostile(String text, @Nullable String forbiddenInSql) {
        @Override
        public String toString() {
            return show(text);
        }
    }

    /** The corpus, then {@code randomCount} random strings, each with its own marker. */
    public List<Hostile> inputs(int randomCount) {
        List<Hostile> inputs = new ArrayList<>();
        for (String text : CORPUS) {
            inputs.add(new Hostile(text, distinctive(text) ? text : null));
        }
        for (int i = 0; i < randomCount; i++) {
            inputs.add(next());
        }
        return inputs;
    }

    /** Corpus values that, if they reached SQL text, would be recognisable there. */
    private static boolean distinctive(String text) {
        return text.length() >= 4 && (text.contains("sentinel") || text.contains("pg_sleep") || text.contains(";")
                || text.contains("--") || text.contains("/*"));
    }

    /** One random string with a fresh marker somewhere in it. */
    public Hostile next() {
        // Base 36 has no underscore, so the marker ends unambiguously.
        String marker = MARKER_PREFIX + Long.toString(counter++, 36) + "_";
        StringBuilder text = new StringBuilder();
        int parts = 1 + random.nextInt(6);
        int markerAt = random.nextInt(parts + 1);
        for (int i = 0; i <= parts; i++) {
            if (i == markerAt) {
                text.append(marker);
            }
            if (i < parts) {
                text.append(part());
            }
        }
        if (random.nextInt(20) == 0) {
            // Over PostgreSQL's 63 bytes, sometimes far over.
            text.append("x".repeat(40 + random.nextInt(random.nextBoolean() ? 40 : 400)));
        }
        return new Hostile(text.toString(), marker);
    }

    private String part() {
        return switch (random.nextInt(4)) {
            case 0 -> FRAGMENTS[random.nextInt(FRAGMENTS.length)];
            case 1 -> identifierLike();
            case 2 -> String.valueOf((char) random.nextInt(0x20));
            default -> String.valueOf(Character.toChars(randomCodePoint()));
        };
    }

    private String identifierLike() {
        int length = 1 + random.nextInt(12);
        StringBuilder out = new StringBuilder();
        String chars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ_0123456789";
        for (int i = 0; i < length; i++) {
            out.append(chars.charAt(random.nextInt(chars.length())));
        }
        return out.toString();
    }

    /** Anywhere in Unicode but the surrogate range, which has no code points of its own. */
    private int randomCodePoint() {
        while (true) {
            int codePoint = random.nextInt(random.nextBoolean() ? 0x3000 : 0x110000);
            if (codePoint < Character.MIN_SURROGATE || codePoint > Character.MAX_SURROGATE) {
                return codePoint;
            }
        }
    }

    /** Java source-like escaping, so a failure message shows exactly which input failed. */
    public static String show(String input) {
        StringBuilder out = new StringBuilder("\"");
        String shown = input.length() > 120 ? input.substring(0, 120) : input;
        for (char c : shown.toCharArray()) {
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\' || (c >= 0x80 && !Character.isLetterOrDigit(c))) {
                out.append(String.format("\\u%04x", (int) c));
            } else {
                out.append(c);
            }
        }
        out.append('"');
        return input.length() > 120 ? out + "... (" + input.length() + " chars)" : out.toString();
    }
}
