/**
 * The library's API and the SPI a storage adapter implements, without any storage.
 *
 * <p>{@code dev.ayb.matviews.internal} is deliberately not exported: the core's helpers are public only for the
 * core's own packages, and the descriptor makes that a compile error elsewhere rather than a convention.
 */
module dev.ayb.matviews.core {
    exports dev.ayb.matviews;
    exports dev.ayb.matviews.spi;

    requires org.slf4j;
    // The nullness annotations are type annotations in the API's signatures, so readers of this module read them
    // too (transitive); only compilers and checkers use them, so nothing needs them at run time (static).
    requires static transitive org.jspecify;
}
