package dev.ayb.matviews.servlet.internal;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RegistrationQuery;
import dev.ayb.matviews.RegistrationSort;
import java.util.List;
import java.util.Optional;

/**
 * The optional query of {@code GET /api/admin/matviews}: {@code page}, {@code perPage}, {@code filter} and
 * {@code sort} ({@code -} first for descending), named as the collections API names them. Without any of
 * them the route answers the full list as it always did; with one, a page. Only the syntax is checked here;
 * the ranges are the core's rules ({@link RegistrationQuery}).
 */
final class MatviewListQuery {
    static final List<String> PARAMETERS = List.of("page", "perPage", "filter", "sort");

    private MatviewListQuery() {
    }

    /** Empty when the request names none of the paging parameters. */
    static Optional<RegistrationQuery> from(ApiRequest request) {
        if (PARAMETERS.stream().allMatch(name -> request.queryParameter(name).isEmpty())) {
            return Optional.empty();
        }
        int page = request.queryParameter("page").map(text -> integer("page", text, Integer.MAX_VALUE)).orElse(1);
        int perPage = request.queryParameter("perPage")
                .map(text -> integer("perPage", text, RegistrationQuery.MAX_PER_PAGE))
                .orElse(RegistrationQuery.DEFAULT_PER_PAGE);
        String sortText = request.queryParameter("sort").filter(text -> !text.isEmpty()).orElse("schemaName");
        boolean descending = sortText.startsWith("-");
        RegistrationSort sort = RegistrationSort.fromWire(descending ? sortText.substring(1) : sortText);
        return Optional.of(new RegistrationQuery(page, perPage, request.queryParameter("filter").orElse(null), sort,
                descending));
    }

    /** Digits only, as the collections API reads them: no sign, no spaces, at most ten of them. */
    private static int integer(String name, String text, int max) {
        if (text.isEmpty() || text.length() > 10 || !text.chars().allMatch(c -> c >= '0' && c <= '9')
                || Long.parseLong(text) > Integer.MAX_VALUE) {
            throw new MatviewException(ErrorCode.INVALID_ARGUMENT,
                    name + " must be an integer between 1 and " + max);
        }
        return Integer.parseInt(text);
    }
}
