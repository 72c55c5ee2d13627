package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.servlet.internal.ApiResponse;

/** A read ended with an answer that needs its own headers (a 503 with {@code Retry-After}). */
final class Refusal extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final transient ApiResponse answer;

    Refusal(ApiResponse answer) {
        super(answer.status() + " " + answer.headers(), null, false, false);
        this.answer = answer;
    }

    ApiResponse answer() {
        return answer;
    }
}
