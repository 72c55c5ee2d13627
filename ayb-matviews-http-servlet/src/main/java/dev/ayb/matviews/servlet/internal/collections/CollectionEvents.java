package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.servlet.internal.ApiRequest;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import dev.ayb.matviews.servlet.internal.ErrorResponses;
import dev.ayb.matviews.servlet.internal.events.EventStreams;
import java.util.Objects;
import java.util.Optional;

/**
 * {@code GET /api/collections/{name}/events}: one view's refresh (and behind) events as Server-Sent Events,
 * under the rule that guards its rows, checked in the same order: the name (400), access (401 before anything
 * about the view is looked up), then the view itself (404 unless a materialized view the engine can read).
 */
final class CollectionEvents {
    private final AybCollections collections;
    private final ReaderGate gate;
    private final EventStreams streams;

    CollectionEvents(AybCollections collections, ReaderGate gate, EventStreams streams) {
        this.collections = Objects.requireNonNull(collections, "collections");
        this.gate = Objects.requireNonNull(gate, "gate");
        this.streams = Objects.requireNonNull(streams, "streams");
    }

    ApiResponse open(ApiRequest request) {
        QualifiedName view = QualifiedName.parse(request.variable("name"));
        if (!gate.admits(request.servletRequest(), view)) {
            return ErrorResponses.unauthorized();
        }
        try {
            // Finds the view (or refuses); no rows are read.
            if (collections.describe(view).isEmpty()) {
                throw new MatviewException(ErrorCode.VIEW_NOT_FOUND, view);
            }
        } catch (MatviewException e) {
            Optional<ApiResponse> answer = CollectionErrors.answer(e, collections);
            if (answer.isEmpty()) {
                throw e;
            }
            return answer.get();
        }
        return streams.open(request, view);
    }
}
