package dev.ayb.matviews.cli;

import dev.ayb.matviews.jdbc.SchemaStatus;
import java.util.List;
import java.util.stream.Collectors;

/** How migrations are named in messages: {@code V4 (change_tracking), V5 (target_lag)}. */
final class SchemaVersions {
    private SchemaVersions() {
    }

    static String list(List<SchemaStatus.Version> versions) {
        return versions.stream().map(SchemaVersions::name).collect(Collectors.joining(", "));
    }

    static String name(SchemaStatus.Version version) {
        return "V" + version.version() + " (" + version.description() + ")";
    }
}
