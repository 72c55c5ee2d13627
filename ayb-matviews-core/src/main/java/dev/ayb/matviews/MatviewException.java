package dev.ayb.matviews;

import java.util.Objects;
import java.util.Optional;

/**
 * The one unchecked exception of the library. Callers branch on {@link #code()}, never on the message.
 *
 * <p>When PostgreSQL itself refused something, {@link #sqlState()} keeps its SQLSTATE and the message
 * keeps its text, so nothing the database said is lost on the way to the operator.
 */
public class MatviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient QualifiedName view;
    private final String sqlState;

    public MatviewException(ErrorCode code) {
        this(code, code.defaultMessage(), null, null, null);
    }

    public MatviewException(ErrorCode code, QualifiedName view) {
        this(code, code.defaultMessage(), view, null, null);
    }

    public MatviewException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    public MatviewException(ErrorCode code, String message, QualifiedName view, String sqlState, Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.view = view;
        this.sqlState = sqlState;
    }

    public ErrorCode code() {
        return code;
    }

    public int httpStatus() {
        return code.httpStatus();
    }

    /** The view the failure concerns, when there is one. */
    public Optional<QualifiedName> view() {
        return Optional.ofNullable(view);
    }

    /** PostgreSQL's SQLSTATE when the database refused the operation. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
