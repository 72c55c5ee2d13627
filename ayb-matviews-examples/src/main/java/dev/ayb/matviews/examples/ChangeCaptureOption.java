package dev.ayb.matviews.examples;

import dev.ayb.matviews.jdbc.ChangeCapture;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the demo's {@code --change-capture} ({@code AYB_CHANGE_CAPTURE}): {@code triggers} or {@code wal}, in any
 * case.
 */
final class ChangeCaptureOption implements ITypeConverter<ChangeCapture> {

    @Override
    public ChangeCapture convert(String value) {
        return switch (value.strip().toLowerCase(Locale.ROOT)) {
            case "triggers" -> ChangeCapture.TRIGGERS;
            case "wal" -> ChangeCapture.WAL;
            default -> throw new TypeConversionException("'" + value + "' is not a change capture; use triggers (the"
                    + " default) or wal (read from the write-ahead log; needs wal_level = logical)");
        };
    }
}
