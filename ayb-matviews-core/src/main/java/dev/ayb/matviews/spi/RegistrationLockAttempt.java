package dev.ayb.matviews.spi;

import dev.ayb.matviews.Registration;
import java.util.Objects;

/** A registration as read when its view's lock was tried, and how the try went. */
public record RegistrationLockAttempt(Registration registration, LockAttempt attempt) {
    public RegistrationLockAttempt {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(attempt, "attempt");
    }
}
