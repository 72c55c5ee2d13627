package dev.ayb.matviews.cli;

import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/**
 * {@code update --target-lag}: a duration as {@link DurationConverter} reads it ({@code 30s}, {@code 5m}), or
 * {@code none} to remove the target. Zero is refused by the library, which wants a positive target.
 */
final class TargetLagConverter implements ITypeConverter<TargetLagConverter.Setting> {
    static final String NONE = "none";

    /** What the option asks for: a target, or none (null). */
    record Setting(Duration target) {
    }

    @Override
    public Setting convert(String value) {
        if (value.trim().equalsIgnoreCase(NONE)) {
            return new Setting(null);
        }
        return new Setting(new DurationConverter().convert(value));
    }
}
