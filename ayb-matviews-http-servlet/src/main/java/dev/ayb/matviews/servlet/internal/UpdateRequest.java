package dev.ayb.matviews.servlet.internal;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.ErrorCode;
import dev.ayb.matviews.MatviewException;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshTimeouts;
import dev.ayb.matviews.servlet.internal.JsonFields.TimeoutSetting;
import java.util.Optional;

/**
 * The body of {@code PUT} and {@code PATCH /api/admin/matviews/{ref}}: {@code refreshMode}, the
 * optional per-view {@code lockTimeoutMs} / {@code statementTimeoutMs} ({@code null} clears one) and
 * {@code changeTracking} (true or false) and {@code targetLagMs} ({@code null} clears it). A field
 * left out is left unchanged; a body that changes nothing is refused as the original refused a missing
 * mode.
 */
final class UpdateRequest {
    private final RefreshMode mode;
    private final TimeoutSetting lockTimeout;
    private final TimeoutSetting statementTimeout;
    private final Boolean changeTracking;
    private final TimeoutSetting targetLag;

    private UpdateRequest(RefreshMode mode, TimeoutSetting lockTimeout, TimeoutSetting statementTimeout,
                          Boolean changeTracking, TimeoutSetting targetLag) {
        this.mode = mode;
        this.lockTimeout = lockTimeout;
        this.statementTimeout = statementTimeout;
        this.changeTracking = changeTracking;
        this.targetLag = targetLag;
    }

    static UpdateRequest from(ObjectNode body) {
        RefreshMode mode = JsonFields.text(body, "refreshMode").map(RefreshMode::fromWire).orElse(null);
        TimeoutSetting lock = JsonFields.timeout(body, "lockTimeoutMs");
        TimeoutSetting statement = JsonFields.timeout(body, "statementTimeoutMs");
        Boolean changeTracking = JsonFields.flag(body, "changeTracking").orElse(null);
        TimeoutSetting targetLag = JsonFields.millis(body, "targetLagMs");
        if (mode == null && !lock.given() && !statement.given() && changeTracking == null && !targetLag.given()) {
            throw new MatviewException(ErrorCode.INVALID_REFRESH_MODE);
        }
        return new UpdateRequest(mode, lock, statement, changeTracking, targetLag);
    }

    /** What the body does to the target lag: leaves it, clears it ({@code null}) or sets it. */
    TimeoutSetting targetLag() {
        return targetLag;
    }

    Optional<RefreshMode> mode() {
        return Optional.ofNullable(mode);
    }

    Optional<Boolean> changeTracking() {
        return Optional.ofNullable(changeTracking);
    }

    boolean changesTimeouts() {
        return lockTimeout.given() || statementTimeout.given();
    }

    /** The view's timeouts with this request's changes applied. */
    RefreshTimeouts applyTo(RefreshTimeouts current) {
        return new RefreshTimeouts(lockTimeout.applyTo(current.lockTimeout()),
                statementTimeout.applyTo(current.statementTimeout()));
    }
}
