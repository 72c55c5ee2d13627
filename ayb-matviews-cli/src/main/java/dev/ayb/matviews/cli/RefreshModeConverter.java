package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshMode;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --mode} with the library's parser, so a bad value is a usage error naming the allowed values. */
final class RefreshModeConverter implements ITypeConverter<RefreshMode> {
    @Override
    public RefreshMode convert(String value) {
        try {
            return RefreshMode.fromWire(value, "--mode");
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
