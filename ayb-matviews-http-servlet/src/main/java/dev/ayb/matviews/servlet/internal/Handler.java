package dev.ayb.matviews.servlet.internal;

/** Answers one route. Throws {@link dev.ayb.matviews.MatviewException} or {@link ApiException} to answer with an error. */
@FunctionalInterface
public interface Handler {
    ApiResponse handle(ApiRequest request);
}
