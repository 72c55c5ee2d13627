package dev.ayb.matviews;

import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The one unchecked exception of the library. Callers branch on {@link #code()}, never on the message.
 *
 * <p>When PostgreSQL itself refused something, {@link #sqlState()} keeps its SQLSTATE and the message
 * keeps its text, so nothing the database said is lost on the way to the operator.
 *
 * <p>The message is the exact, stable text; what varies sits beside it: the view the failure is about
 * ({@link #view()}, {@link #schemaName()}, {@link #viewName()}), or the caller's reference as given when it
 * named no view ({@link #ref()}), and what to do about it ({@link #hint()}).
 */
public class MatviewException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final ErrorCode code;
    private final transient @Nullable QualifiedName view;
    private final @Nullable String sqlState;
    private final @Nullable String ref;
    private final @Nullable String hint;

    public MatviewException(ErrorCode code) {
        this(code, code.defaultMessage(), null, null, null);
    }

    public MatviewException(ErrorCode code, QualifiedName view) {
        this(code, code.defaultMessage(), view, null, null);
    }

    public MatviewException(ErrorCode code, String message) {
        this(code, message, null, null, null);
    }

    public MatviewException(ErrorCode code, String message, @Nullable QualifiedName view, @Nullable String sqlState,
                            @Nullable Throwable cause) {
        this(code, message, view, null, sqlState, null, cause);
    }

    /**
     * @param ref  the caller's reference as given, when it did not resolve to a view (an unknown id, text that
     *             is neither an id nor a name); null otherwise
     * @param hint what the caller can do about it, never part of the message; null for the code's
     *             {@linkplain ErrorCode#defaultHint() default hint}, if any
     */
    public MatviewException(ErrorCode code, String message, @Nullable QualifiedName view, @Nullable String ref,
                            @Nullable String sqlState, @Nullable String hint, @Nullable Throwable cause) {
        super(Objects.requireNonNull(message, "message"), cause);
        this.code = Objects.requireNonNull(code, "code");
        this.view = view;
        this.ref = ref;
        this.sqlState = sqlState;
        this.hint = hint != null ? hint : code.defaultHint().orElse(null);
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

    /** The schema of {@link #view()}. */
    public Optional<String> schemaName() {
        return view().map(QualifiedName::schema);
    }

    /** The name of {@link #view()} within its schema. */
    public Optional<String> viewName() {
        return view().map(QualifiedName::view);
    }

    /** The caller's reference as given, when it named no view that could be resolved (e.g. an unknown id). */
    public Optional<String> ref() {
        return Optional.ofNullable(ref);
    }

    /** What to do about the failure, when the library knows (e.g. how to populate a view). */
    public Optional<String> hint() {
        return Optional.ofNullable(hint);
    }

    /** PostgreSQL's SQLSTATE when the database refused the operation. */
    public Optional<String> sqlState() {
        return Optional.ofNullable(sqlState);
    }
}
