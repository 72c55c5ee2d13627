package dev.ayb.matviews.cli;

import dev.ayb.matviews.Cascade;
import dev.ayb.matviews.MatviewException;
import java.util.Arrays;
import java.util.Iterator;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Reads {@code --cascade} with the library's parser, so a bad value is a usage error with its message. */
final class CascadeConverter implements ITypeConverter<Cascade> {
    @Override
    public Cascade convert(String value) {
        try {
            return Cascade.fromWire(value);
        } catch (MatviewException e) {
            throw new TypeConversionException(e.getMessage());
        }
    }

    /** The values shell completion offers and the help lists. */
    static final class Names implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(Cascade.values()).map(Cascade::wireName).iterator();
        }
    }
}
