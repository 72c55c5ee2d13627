package dev.ayb.matviews.cli;

import java.util.UUID;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * A job's id as typed: canonical UUID text only, as the HTTP API accepts it. {@link UUID#fromString} alone also
 * takes short forms such as {@code 1-1-1-1-1}, which would address another job than the one written.
 */
final class JobId implements ITypeConverter<UUID> {
    @Override
    public UUID convert(String text) {
        if (text.length() == 36) {
            try {
                UUID id = UUID.fromString(text);
                if (id.toString().equalsIgnoreCase(text)) {
                    return id;
                }
            } catch (IllegalArgumentException e) {
                // Refused below, like any other text that is not a UUID.
            }
        }
        throw new TypeConversionException("invalid job id format");
    }
}
