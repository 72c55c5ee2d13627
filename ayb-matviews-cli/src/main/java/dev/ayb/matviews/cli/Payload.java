package dev.ayb.matviews.cli;

import java.util.Map;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A job payload given on the command line as one JSON object. A type of its own because picocli reads
 * {@code Map} options as {@code key=value} pairs.
 */
record Payload(Map<String, Object> values) {
    static final String EXAMPLE = "{\"schema\": \"public\", \"view_name\": \"leaderboard\"}";

    /** Anything but a JSON object is a usage error, found before the database is contacted. */
    static final class Converter implements ITypeConverter<Payload> {
        @Override
        public Payload convert(String value) {
            try {
                return new Payload(CliJson.parseObject(value));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("the payload " + e.getMessage() + "; for example '" + EXAMPLE + "'");
            }
        }
    }
}
