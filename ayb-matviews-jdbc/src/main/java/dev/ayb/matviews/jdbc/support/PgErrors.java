package dev.ayb.matviews.jdbc.support;

import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import java.sql.SQLException;
import org.jspecify.annotations.Nullable;

/**
 * The one place where {@link SQLException}s become {@link MatviewException}s. PostgreSQL's SQLSTATE and
 * its message (first line, without the severity prefix) are kept on every converted exception.
 */
public final class PgErrors {
    public static final String UNIQUE_VIOLATION = "23505";
    public static final String UNDEFINED_TABLE = "42P01";
    public static final String WRONG_OBJECT_TYPE = "42809";
    public static final String INSUFFICIENT_PRIVILEGE = "42501";
    public static final String OBJECT_NOT_IN_PREREQUISITE_STATE = "55000";
    public static final String FEATURE_NOT_SUPPORTED = "0A000";
    public static final String CARDINALITY_VIOLATION = "21000";
    public static final String LOCK_NOT_AVAILABLE = "55P03";
    /** E.g. "all replication slots are in use". */
    public static final String CONFIGURATION_LIMIT_EXCEEDED = "53400";
    public static final String QUERY_CANCELED = "57014";
    /** A write in a read-only transaction, e.g. under {@code default_transaction_read_only}. */
    public static final String READ_ONLY_SQL_TRANSACTION = "25006";
    /** SQLSTATE class 22: PostgreSQL refused a value, e.g. a NUL character, which text and jsonb cannot hold. */
    public static final String DATA_EXCEPTION_CLASS = "22";

    private PgErrors() {
    }

    /**
     * A failure of the library's own bookkeeping queries. Every value in them is a bound parameter, so a data
     * exception (SQLSTATE class 22) means PostgreSQL refused a value the caller gave: a 400, not a 500.
     */
    public static MatviewException database(String what, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        if (state.startsWith(DATA_EXCEPTION_CLASS)) {
            return new MatviewException(ErrorCode.INVALID_ARGUMENT, MessageText.printable("invalid value while "
                    + what + ": " + serverMessage(e)), null, e.getSQLState(), e);
        }
        return new MatviewException(ErrorCode.DATABASE_ERROR, MessageText.printable("database error while " + what
                + ": " + serverMessage(e)), null, e.getSQLState(), e);
    }

    /** A failure of the {@code REFRESH} statement itself, named after the view. */
    public static MatviewException refresh(QualifiedName view, RefreshMode mode, SQLException e) {
        String state = e.getSQLState() == null ? "" : e.getSQLState();
        String pgMessage = serverMessage(e);
        ErrorCode code = switch (state) {
            case UNDEFINED_TABLE, WRONG_OBJECT_TYPE -> ErrorCode.VIEW_NO_LONGER_EXISTS;
            case OBJECT_NOT_IN_PREREQUISITE_STATE -> mode == RefreshMode.CONCURRENT
                    ? ErrorCode.CONCURRENT_REQUIRES_UNIQUE_INDEX : ErrorCode.REFRESH_FAILED;
            case FEATURE_NOT_SUPPORTED -> mode == RefreshMode.CONCURRENT
                    ? ErrorCode.CONCURRENT_REQUIRES_POPULATED : ErrorCode.REFRESH_FAILED;
            case CARDINALITY_VIOLATION -> ErrorCode.CONCURRENT_DUPLICATE_ROWS;
            case INSUFFICIENT_PRIVILEGE -> ErrorCode.REFRESH_PERMISSION_DENIED;
            case LOCK_NOT_AVAILABLE -> ErrorCode.REFRESH_LOCK_TIMEOUT;
            case QUERY_CANCELED -> ErrorCode.REFRESH_STATEMENT_TIMEOUT;
            default -> ErrorCode.REFRESH_FAILED;
        };
        String message = switch (code) {
            // These keep the original system's exact wording; PostgreSQL's text stays on the cause.
            case VIEW_NO_LONGER_EXISTS, CONCURRENT_REQUIRES_UNIQUE_INDEX, CONCURRENT_REQUIRES_POPULATED ->
                    code.defaultMessage();
            default -> "refresh of " + view + " failed: " + pgMessage;
        };
        return new MatviewException(code, message, view, e.getSQLState(), e);
    }

    /** PostgreSQL's primary message: the driver's first line without its {@code ERROR: } prefix. */
    public static String serverMessage(SQLException e) {
        String text = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
        int newline = text.indexOf('\n');
        if (newline >= 0) {
            text = text.substring(0, newline);
        }
        for (String prefix : new String[] {"ERROR: ", "FATAL: "}) {
            if (text.startsWith(prefix)) {
                return text.substring(prefix.length());
            }
        }
        return text;
    }

    /**
     * Whether a failure means the database did not answer rather than refused: no connection (SQLSTATE class 08,
     * or no SQLSTATE at all, as when the pool cannot lend one), or the server shutting down or starting up
     * (class 57P). Such a failure is worth retrying unchanged; any other is the database's answer.
     */
    public static boolean isConnectionFailure(@Nullable String sqlState) {
        return sqlState == null || sqlState.isEmpty() || sqlState.startsWith("08") || sqlState.startsWith("57P");
    }

    public static boolean isUniqueViolation(SQLException e) {
        return UNIQUE_VIOLATION.equals(e.getSQLState());
    }
}
