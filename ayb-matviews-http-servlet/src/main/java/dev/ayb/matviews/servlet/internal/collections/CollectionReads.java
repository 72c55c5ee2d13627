package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.collections.DataVersion;
import dev.ayb.matviews.collections.PageRead;
import dev.ayb.matviews.collections.VersionedPage;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code GET} and {@code HEAD /api/collections/{name}}: one page of a materialized view's rows, read by the
 * engine ({@link AybCollections}) and written here. In order: the name (400 when not an identifier), access
 * (401 before anything about the view is looked up), then in one read of the engine the view (404 unless a
 * materialized view), the parameters (400), the format (400); then, for a conditional request only, one
 * statement without rows for whether the view is populated (503) and the conditional headers (304); then the
 * page, in one statement with its validators (503 when not populated).
 */
final class CollectionReads {
    private static final Logger LOG = LoggerFactory.getLogger(CollectionReads.class);

    private final AybCollections collections;
    private final ReaderGate gate;
    private final EncodedPages answers;

    /** @param keptBytes the bytes of written pages kept for reads of the same version of the data; 0 keeps none */
    CollectionReads(AybCollections collections, ReaderGate gate, long keptBytes) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.answers = new EncodedPages(keptBytes);
    }

    ApiResponse read(ApiRequest request) {
        QualifiedName view = QualifiedName.parse(request.variable("name"));
        if (!gate.admits(request.servletRequest(), view)) {
            return ErrorResponses.unauthorized();
        }
        VersionedPage read;
        ResponseFormat format;
        try {
            PageRead pageRead = collections.prepare(view, CollectionQuery.fromParameters(request::queryParameter));
            format = ResponseFormat.choose(request.queryParameter("format").orElse(null), request.header("Accept"));
            String ifNoneMatch = request.header("If-None-Match");
            String ifModifiedSince = request.header("If-Modified-Since");
            if (ifNoneMatch != null || ifModifiedSince != null) {
                // A revalidation is most often answered 304: one statement that reads no rows decides it.
                DataVersion version = pageRead.version().orElse(null);
                if (version != null) {
                    Validators validators = Validators.of(version, format);
                    if (validators.notModified(ifNoneMatch, ifModifiedSince)) {
                        return cacheable(new ApiResponse(304, null, Map.of()), validators, null);
                    }
                    // A client's copy of an older version: the answer of this one may be kept already.
                    ApiResponse kept = answers.kept(version, format);
                    if (kept != null) {
                        return kept;
                    }
                }
            }
            read = pageRead.read();
        } catch (MatviewException e) {
            Optional<ApiResponse> answer = CollectionErrors.answer(e, collections);
            if (answer.isEmpty()) {
                throw e;
            }
            LOG.debug("GET {} refused: {}", CollectionRoutes.PATH, e.getMessage());
            return answer.get();
        }
        // Encoded after the connection is back in the pool.
        DataVersion version = read.version();
        if (version == null) {
            return cacheable(encoded(read.page(), format), null, read.dataAsOf());
        }
        ApiResponse kept = answers.kept(version, format);
        if (kept == null) {
            kept = cacheable(encoded(read.page(), format), Validators.of(version, format), read.dataAsOf());
            answers.keep(version, format, kept);
        }
        return kept;
    }

    private static ApiResponse encoded(CollectionPage page, ResponseFormat format) {
        return format == ResponseFormat.CSV ? csv(page) : json(page);
    }

    private static ApiResponse json(CollectionPage page) {
        return ApiResponse.encoded(200, "application/json", JsonPageWriter.write(page));
    }

    /** CSV has no room for the totals and the cursor, so they travel as headers. */
    private static ApiResponse csv(CollectionPage page) {
        ApiResponse answer = ApiResponse.encoded(200, "text/csv; charset=utf-8", CsvPageWriter.write(page))
                .withHeader("X-Total-Items", Long.toString(page.totalItems()))
                .withHeader("X-Total-Pages", Long.toString(page.totalPages()));
        return page.nextCursor() == null ? answer : answer.withHeader("X-Next-Cursor", page.nextCursor());
    }

    /**
     * {@code private}: the answer may depend on who asked (admin-only views), so shared caches must not keep
     * it. {@code no-cache}: a browser may keep it but must revalidate every time, so a refresh is seen at once,
     * and the revalidation costs a 304 without reading any rows. {@code Vary: Accept}: JSON and CSV share a URL.
     *
     * @param validators null for a read without them (a view not registered, or never refreshed successfully,
     *                   or a query naming the current time)
     * @param dataAsOf   when the rows were computed, sent as {@code X-Data-As-Of} also without validators (a query
     *                   naming the current time still reads rows of a known age); null when unknown
     */
    private static ApiResponse cacheable(ApiResponse answer, Validators validators, Instant dataAsOf) {
        ApiResponse headed = answer.withHeader("Cache-Control", "private, no-cache").withHeader("Vary", "Accept");
        if (validators != null) {
            for (Map.Entry<String, String> header : validators.headers().entrySet()) {
                headed = headed.withHeader(header.getKey(), header.getValue());
            }
        } else if (dataAsOf != null) {
            headed = headed.withHeader("X-Data-As-Of", Validators.dataAsOf(dataAsOf));
        }
        return headed;
    }
}
