package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.jdbc.support.RegistrationJoin;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.CollectionAccess;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import jakarta.servlet.http.HttpServletRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import javax.sql.DataSource;

/**
 * {@code GET} and {@code HEAD /api/collections/{name}}: one page of a materialized view's rows. In order:
 * the name (400 when not an identifier), access (401 before anything about the view is looked up), then in
 * one read-only transaction the catalog with the view's registration (404 unless a materialized view; the
 * registration, from the rows' own snapshot, gives the validators), the parameters (400), whether the view
 * is populated (503), the conditional headers (304) and the page, whose total is counted once per refresh
 * ({@link CountCache}).
 */
final class CollectionReads {
    private final DataSource dataSource;
    private final ViewCatalog catalog;
    private final CountCache counts = new CountCache();
    private final CollectionAccess access;
    private final AdminAuthenticator admins;
    private final Duration statementTimeout;

    CollectionReads(DataSource dataSource, RegistrationJoin registrations, CollectionAccess access,
                    AdminAuthenticator admins, Duration statementTimeout) {
        this.dataSource = Objects.requireNonNull(dataSource, "dataSource");
        this.catalog = new ViewCatalog(Objects.requireNonNull(registrations, "registrations"));
        this.access = Objects.requireNonNull(access, "access");
        this.admins = Objects.requireNonNull(admins, "admins");
        this.statementTimeout = Objects.requireNonNull(statementTimeout, "statementTimeout");
    }

    ApiResponse read(ApiRequest request) {
        QualifiedName view = QualifiedName.parse(request.variable("name"));
        HttpServletRequest http = request.servletRequest();
        if (!access.allows(http, view) && !admins.allows(http)) {
            return ErrorResponses.unauthorized();
        }
        Page page;
        PageRequest pageRequest;
        Validators validators;
        try (ReadTransaction transaction = ReadTransaction.begin(dataSource, view, statementTimeout)) {
            DescribedView described = transaction.describe(catalog)
                    .orElseThrow(() -> new MatviewException(ErrorCode.VIEW_NOT_FOUND, view));
            ViewShape shape = described.shape();
            pageRequest = PageRequest.parse(request::queryParameter, request.header("Accept"), shape);
            if (!shape.populated()) {
                return CollectionErrors.notPopulated(view);
            }
            validators = Validators.of(described.registration(), shape, pageRequest).orElse(null);
            if (validators != null && validators.notModified(request.header("If-None-Match"),
                    request.header("If-Modified-Since"))) {
                return cacheable(new ApiResponse(304, null, Map.of()), validators);
            }
            page = PageReader.read(transaction, shape, pageRequest,
                    countQuery -> counts.count(described, countQuery, transaction::count));
        } catch (Refusal refusal) {
            return refusal.answer();
        }
        // Encoded after the connection is back in the pool.
        return cacheable(pageRequest.format() == ResponseFormat.CSV ? csv(page) : json(page), validators);
    }

    private static ApiResponse json(Page page) {
        return ApiResponse.encoded(200, "application/json", JsonPageWriter.write(page));
    }

    /** CSV has no room for the totals and the cursor, so they travel as headers. */
    private static ApiResponse csv(Page page) {
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
     * @param validators null for a view without them (not registered, or its last refresh failed)
     */
    private static ApiResponse cacheable(ApiResponse answer, Validators validators) {
        ApiResponse headed = answer.withHeader("Cache-Control", "private, no-cache").withHeader("Vary", "Accept");
        if (validators != null) {
            for (Map.Entry<String, String> header : validators.headers().entrySet()) {
                headed = headed.withHeader(header.getKey(), header.getValue());
            }
        }
        return headed;
    }
}
