package dev.ayb.matviews.spi;

import dev.ayb.matviews.RefreshRun;
import dev.ayb.matviews.Registration;
import java.util.Objects;

/** A run as stored, with the registration as it reads right after storing it. */
public record RecordedRun(Registration registration, RefreshRun run) {
    public RecordedRun {
        Objects.requireNonNull(registration, "registration");
        Objects.requireNonNull(run, "run");
    }
}
