package dev.ayb.matviews.cli;

import dev.ayb.matviews.CanonicalUuid;
import java.util.UUID;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** A job's id as typed: canonical UUID text only, as the HTTP API accepts it ({@link CanonicalUuid}). */
final class JobId implements ITypeConverter<UUID> {
    @Override
    public UUID convert(String text) {
        return CanonicalUuid.parse(text).orElseThrow(() -> new TypeConversionException("invalid job id format"));
    }
}
