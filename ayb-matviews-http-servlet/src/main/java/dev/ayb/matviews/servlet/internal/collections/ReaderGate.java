package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.servlet.AdminAuthenticator;
import dev.ayb.matviews.servlet.CollectionAccess;
import jakarta.servlet.http.HttpServletRequest;
import java.util.Objects;

/** Who may read a view, its rows or its events: whoever the host's policy admits, and admins. */
final class ReaderGate {
    private final CollectionAccess access;
    private final AdminAuthenticator admins;

    ReaderGate(CollectionAccess access, AdminAuthenticator admins) {
        this.access = Objects.requireNonNull(access, "access");
        this.admins = Objects.requireNonNull(admins, "admins");
    }

    boolean admits(HttpServletRequest request, QualifiedName view) {
        return access.allows(request, view) || admins.allows(request);
    }
}
