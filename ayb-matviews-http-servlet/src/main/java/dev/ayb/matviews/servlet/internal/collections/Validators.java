package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.collections.DataVersion;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP validators for a page of a view's rows, which only change when the view is refreshed: an ETag and a
 * Last-Modified taken from the read's {@link DataVersion} (the start of the registration's last successful
 * refresh, the moment the rows are "as of"), and the same moment to the millisecond as {@code X-Data-As-Of}.
 * A read without one gets none: the engine's rule says when nothing tells that the rows did not change. A
 * failed refresh changes no rows, so it changes none of these either.
 *
 * <p>The ETag is {@code W/"<registration id>-<lastSuccessAt epoch ms>-<hash>"}; the hash covers the request's
 * parameters as they affect the answer (page, order, fields, filter..., and the format) and the view's oid,
 * relfilenode and shape, so a standard refresh run outside the library, a view dropped and created again, or a
 * column renamed, also changes it. It is weak: the same rows may be written differently (e.g. after a driver upgrade).
 */
record Validators(String etag, Instant dataAsOf) {
    /** IMF-fixdate (RFC 9110 §5.6.7): {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    /** ISO-8601 in UTC, always with milliseconds, so that every value has the same length. */
    private static final DateTimeFormatter ISO_MILLIS =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'", Locale.ROOT).withZone(ZoneOffset.UTC);

    /** Beyond this many, the cache of validators starts afresh. */
    private static final int CACHED = 4096;
    /**
     * The validators of the versions read lately: the same page of unchanged data is read again and again,
     * and hashing its version costs a digest per read.
     */
    private static final Map<Cached, Validators> CACHE = new ConcurrentHashMap<>();

    static Validators of(DataVersion version, ResponseFormat format) {
        Cached key = new Cached(version, format);
        Validators known = CACHE.get(key);
        if (known != null) {
            return known;
        }
        if (CACHE.size() >= CACHED) {
            CACHE.clear();
        }
        Validators made = made(version, format);
        CACHE.put(key, made);
        return made;
    }

    private record Cached(DataVersion version, ResponseFormat format) {
    }

    private static Validators made(DataVersion version, ResponseFormat format) {
        Instant asOf = version.lastSuccessAt();
        String hash = hash(version.oid() + "\n" + version.relfilenode() + "\n" + version.shape() + "\n" + version.queryKey()
                + "\nformat=" + format);
        return new Validators("W/\"" + version.registrationId() + "-" + asOf.toEpochMilli() + "-" + hash + "\"",
                asOf.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Last-Modified, as HTTP dates have it: to the second. */
    Instant lastModified() {
        return dataAsOf.truncatedTo(ChronoUnit.SECONDS);
    }

    /**
     * RFC 9110 §13.2.2: If-None-Match decides when present (weak comparison, {@code *} or a list);
     * otherwise If-Modified-Since, with second precision, as HTTP dates have.
     */
    boolean notModified(String ifNoneMatch, String ifModifiedSince) {
        if (ifNoneMatch != null) {
            for (String tag : ifNoneMatch.split(",")) {
                String trimmed = tag.strip();
                if (trimmed.equals("*") || opaque(trimmed).equals(opaque(etag))) {
                    return true;
                }
            }
            return false;
        }
        if (ifModifiedSince != null) {
            try {
                Instant since = DateTimeFormatter.RFC_1123_DATE_TIME.parse(ifModifiedSince.strip(), Instant::from);
                return !lastModified().isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /** ETag, Last-Modified and X-Data-As-Of: sent with the 200 and with every 304. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag);
        headers.put("Last-Modified", HTTP_DATE.format(lastModified()));
        headers.put("X-Data-As-Of", ISO_MILLIS.format(dataAsOf));
        return headers;
    }

    /** {@code X-Data-As-Of}'s form of a moment. */
    static String dataAsOf(Instant moment) {
        return ISO_MILLIS.format(moment.truncatedTo(ChronoUnit.MILLIS));
    }

    /** Weak comparison ignores the {@code W/} prefix. */
    private static String opaque(String tag) {
        return tag.startsWith("W/") ? tag.substring(2) : tag;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime provides SHA-256", e);
        }
    }
}
