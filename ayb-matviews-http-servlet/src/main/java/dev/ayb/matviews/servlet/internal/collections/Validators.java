package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.RefreshStatus;
import dev.ayb.matviews.Registration;
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
import java.util.Optional;

/**
 * HTTP validators for a view's rows, which only change when the view is refreshed: an ETag and a
 * Last-Modified taken from the registration's last successful refresh. A view that is not registered, or
 * whose last refresh failed, gets none (its refreshes are not seen, so nothing could say when data changed),
 * and so does a request whose filter names a time relative to now ({@link CurrentTimeValues}).
 *
 * <p>The ETag is {@code W/"<registration id>-<lastRefreshAt epoch ms>-<hash>"}; the hash covers the request's
 * parameters as they affect the answer (page, order, fields, filter, format...) and the view's oid and
 * relfilenode, so a standard refresh run outside the library, or a view dropped and created again, also
 * changes it. It is weak: the same rows may be written differently (e.g. after a driver upgrade).
 */
record Validators(String etag, Instant lastModified) {
    /** IMF-fixdate (RFC 9110 §5.6.7): {@code Sun, 06 Nov 1994 08:49:37 GMT}. */
    private static final DateTimeFormatter HTTP_DATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    /**
     * @param registration the view's registration, or null when it has none
     * @return empty also for a request whose rows change with the current time ({@code seen < 'now'}): the
     *         view's last refresh does not tell when its answer last changed
     */
    static Optional<Validators> of(Registration registration, ViewShape view, PageRequest request) {
        if (!knowsLastChange(registration) || request.readsCurrentTime()) {
            return Optional.empty();
        }
        Instant refreshedAt = registration.lastRefreshAt();
        String hash = hash(view.oid() + "\n" + view.relfilenode() + "\n" + request.cacheKey());
        return Optional.of(new Validators("W/\"" + registration.id() + "-" + refreshedAt.toEpochMilli() + "-" + hash
                + "\"", refreshedAt.truncatedTo(ChronoUnit.SECONDS)));
    }

    /**
     * Whether the registration tells when the view's rows last changed: there is one, and its last refresh
     * succeeded. {@link CountCache} keeps counts on the same condition.
     *
     * @param registration the view's registration, or null when it has none
     */
    static boolean knowsLastChange(Registration registration) {
        return registration != null && registration.lastRefreshStatus() == RefreshStatus.SUCCESS
                && registration.lastRefreshAt() != null;
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
                return !lastModified.isAfter(since);
            } catch (DateTimeParseException e) {
                return false;
            }
        }
        return false;
    }

    /** ETag, Last-Modified: sent with the 200 and with every 304. */
    Map<String, String> headers() {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("ETag", etag);
        headers.put("Last-Modified", HTTP_DATE.format(lastModified));
        return headers;
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
