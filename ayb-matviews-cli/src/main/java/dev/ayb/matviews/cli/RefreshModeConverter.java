package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshMode;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads {@code --mode} with the library's own parser, so the CLI accepts exactly what the HTTP API does
 * and a bad value is a usage error carrying the library's message.
 */
final class RefreshModeConverter implements ITypeConverter<RefreshMode> {
    @Override
    public RefreshMode convert(String value) {
        try {
            return RefreshMode.fromWire(value);
        } catch (MatviewException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The values shell completion offers and the help lists. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(RefreshMode.values()).map(RefreshMode::wireName).iterator();
        }
    }
}
