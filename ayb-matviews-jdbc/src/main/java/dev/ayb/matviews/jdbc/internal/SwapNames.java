package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.IdentifierValidator;
import dev.ayb.matviews.QualifiedName;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The names a swap refresh builds under, derived from the view's name alone: the same view always gets the same
 * names, so a leftover of a swap that died between its build and its switch (the process or the backend gone) is
 * found, and dropped, by the next swap of that view. {@code <view>__ayb_swap} for the view,
 * {@code <view>__ayb_swap_i<n>} for its n-th index and {@code <view>__ayb_swap_old} for the live view while the
 * switch replaces it; a view name too long for that keeps a prefix and a hash of the
 * whole, within PostgreSQL's 63 bytes. The names are reserved: an object of the user's own by such a name is in the
 * way of the swap, which refuses rather than drop it (only a materialized view with the live view's definition is
 * taken for a leftover).
 */
final class SwapNames {
    static final String SUFFIX = "__ayb_swap";
    private static final int HASH_CHARS = 8;

    private final QualifiedName view;

    SwapNames(QualifiedName view) {
        this.view = view;
    }

    /** The new contents' name while they are built. */
    String view() {
        return name(SUFFIX);
    }

    /**
     * The live view's name for the moment between its rename and its drop, within the switch's transaction: never
     * seen by another session, never left behind.
     */
    String old() {
        return name(SUFFIX + "_old");
    }

    /** The n-th (from 1) index's name while it is built; it gets its original name back in the switch. */
    String index(int n) {
        return name(SUFFIX + "_i" + n);
    }

    /** {@code "schema"."name"} of a name of this view's schema. */
    String qualified(String name) {
        return IdentifierValidator.quote(view.schema()) + "." + IdentifierValidator.quote(name);
    }

    /** View names are ASCII identifiers (validated), so characters are bytes. */
    private String name(String suffix) {
        String base = view.view();
        if (base.length() + suffix.length() <= IdentifierValidator.MAX_BYTES) {
            return base + suffix;
        }
        String kept = base.substring(0, IdentifierValidator.MAX_BYTES - suffix.length() - HASH_CHARS - 1);
        return kept + "_" + hash(base) + suffix;
    }

    private static String hash(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_CHARS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
