package dev.ayb.matviews.examples;

import dev.ayb.matviews.jdbc.AdvisoryLockMode;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads the demo's {@code --lock-mode} ({@code AYB_LOCK_MODE}): {@code session} or {@code transaction}, in any
 * case. Anything else is refused with the two values and when to use each, rather than picocli's list of enum
 * constants, because the person who gets it wrong is usually putting the demo behind a proxy.
 */
final class LockModeOption implements ITypeConverter<AdvisoryLockMode> {

    @Override
    public AdvisoryLockMode convert(String value) {
        String mode = value.strip().toLowerCase(Locale.ROOT);
        return switch (mode) {
            case "session" -> AdvisoryLockMode.SESSION;
            case "transaction" -> AdvisoryLockMode.TRANSACTION;
            default -> throw new TypeConversionException("'" + value + "' is not a lock mode; use session (the"
                    + " default: a direct connection or session pooling) or transaction (behind PgBouncer in"
                    + " transaction pooling)");
        };
    }
}
