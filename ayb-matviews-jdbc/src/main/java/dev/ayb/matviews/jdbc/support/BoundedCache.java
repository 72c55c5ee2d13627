package dev.ayb.matviews.jdbc.support;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToLongFunction;
import org.jspecify.annotations.Nullable;

/**
 * Values kept under keys within a bound on their total size, the least recently used dropped first; a value
 * larger than an eighth of the bound is not kept, so that no one value can empty the cache. The size is the
 * caller's measure (bytes, estimated or exact). Thread-safe, under one lock held only for the map's work.
 *
 * @param <K> what a value is kept under
 * @param <V> what is kept
 */
public final class BoundedCache<K, V> {
    private final long maxSize;
    private final ToLongFunction<V> sizeOf;
    private final Map<K, Sized<V>> values = new LinkedHashMap<>(64, 0.75f, true);
    private long size;

    /**
     * @param maxSize the total size the kept values may reach; 0 keeps none
     * @param sizeOf  a value's size, in the bound's unit
     */
    public BoundedCache(long maxSize, ToLongFunction<V> sizeOf) {
        if (maxSize < 0) {
            throw new IllegalArgumentException("a cache's size must be 0 or more");
        }
        this.maxSize = maxSize;
        this.sizeOf = Objects.requireNonNull(sizeOf, "sizeOf");
    }

    public boolean enabled() {
        return maxSize > 0;
    }

    /** The value kept under the key, now the most recently used; null when there is none. */
    public @Nullable V get(K key) {
        if (!enabled()) {
            return null;
        }
        synchronized (values) {
            Sized<V> kept = values.get(key);
            return kept == null ? null : kept.value();
        }
    }

    /** Keeps the value under the key, in place of any other, dropping the least recently used beyond the bound. */
    public void put(K key, V value) {
        if (!enabled()) {
            return;
        }
        long valueSize = sizeOf.applyAsLong(value);
        if (valueSize > maxSize / 8) {
            return;
        }
        synchronized (values) {
            Sized<V> replaced = values.put(key, new Sized<>(value, valueSize));
            size += valueSize - (replaced == null ? 0 : replaced.size());
            Iterator<Sized<V>> eldest = values.values().iterator();
            while (size > maxSize && eldest.hasNext()) {
                size -= eldest.next().size();
                eldest.remove();
            }
        }
    }

    private record Sized<V>(V value, long size) {
    }
}
