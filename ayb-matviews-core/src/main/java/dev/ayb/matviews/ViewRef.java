package dev.ayb.matviews;

import java.util.Objects;
import java.util.Optional;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * How a caller points at a registration: by its id, or by the view's {@code schema.view} name. Every
 * operation that takes a view accepts either, over every interface (the original only took ids over HTTP).
 */
public sealed interface ViewRef permits ViewRef.ById, ViewRef.ByName {

    /** A registration id. */
    record ById(UUID id) implements ViewRef {
        public ById {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public String toString() {
            return id.toString();
        }
    }

    /** A view name; resolves to the registration of that view. */
    record ByName(QualifiedName name) implements ViewRef {
        public ByName {
            Objects.requireNonNull(name, "name");
        }

        @Override
        public String toString() {
            return name.toString();
        }
    }

    static ViewRef of(UUID id) {
        return new ById(id);
    }

    static ViewRef of(QualifiedName name) {
        return new ByName(name);
    }

    /**
     * Reads a UUID as an id; {@code schema.view} or a bare identifier (in {@code public}) as a name.
     * A name part that is not a valid identifier is {@link ErrorCode#INVALID_IDENTIFIER}; text that is
     * neither a UUID nor a name (e.g. {@code not-a-uuid}) is {@link ErrorCode#INVALID_ID_FORMAT}, as
     * in the original.
     */
    static ViewRef parse(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            throw new MatviewException(ErrorCode.INVALID_ID_FORMAT);
        }
        Optional<UUID> id = CanonicalUuid.parse(text);
        if (id.isPresent()) {
            return new ById(id.get());
        }
        if (text.indexOf('.') >= 0) {
            try {
                return new ByName(QualifiedName.parse(text));
            } catch (MatviewException e) {
                throw unparsable(e.code(), e.getMessage(), text, e);
            }
        }
        if (IdentifierValidator.isValid(text)) {
            return new ByName(new QualifiedName(QualifiedName.DEFAULT_SCHEMA, text));
        }
        throw unparsable(ErrorCode.INVALID_ID_FORMAT, ErrorCode.INVALID_ID_FORMAT.defaultMessage(), text, null);
    }

    /** Same code and message; the text as given travels beside them, so an error body can show it. */
    private static MatviewException unparsable(ErrorCode code, String message, String text,
                                               @Nullable Throwable cause) {
        return new MatviewException(code, message, null, text, null, null, cause);
    }

}
