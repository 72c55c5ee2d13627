package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.collections.DataVersion;
import dev.ayb.matviews.jdbc.support.BoundedCache;
import dev.ayb.matviews.servlet.internal.ApiResponse;
import org.jspecify.annotations.Nullable;

/**
 * Answers to page reads as written, kept per version of the data and format: the engine answers an unchanged
 * page from its own cache without reading the rows, and this spares writing them again. An answer is a
 * function of its {@link DataVersion} (which names the query's parameters) and its format, headers included,
 * so one kept under them is the answer a new read would write.
 *
 * <p>Bounded by the bytes of the kept bodies ({@link BoundedCache}). Thread-safe.
 */
final class EncodedPages {
    private final BoundedCache<Key, ApiResponse> answers;

    /** @param maxBytes the bytes the kept bodies may hold; 0 keeps none */
    EncodedPages(long maxBytes) {
        this.answers = new BoundedCache<>(maxBytes, answer -> answer.encoded().bytes().length);
    }

    @Nullable ApiResponse kept(DataVersion version, ResponseFormat format) {
        return answers.get(new Key(version, format));
    }

    /** @param answer an answer with an encoded body */
    void keep(DataVersion version, ResponseFormat format, ApiResponse answer) {
        answers.put(new Key(version, format), answer);
    }

    private record Key(DataVersion version, ResponseFormat format) {
    }
}
