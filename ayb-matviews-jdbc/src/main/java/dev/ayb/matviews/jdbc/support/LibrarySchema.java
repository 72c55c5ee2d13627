package dev.ayb.matviews.jdbc.support;

import dev.ayb.matviews.IdentifierValidator;
import java.util.List;

/** The quoted names of the library's own tables inside its configured schema. */
public record LibrarySchema(String name) {
    /** The tables the library reads and writes (without the migrator's own history). */
    public static final List<String> TABLES = List.of("matview_registrations", "matview_refresh_runs", "job_schedules",
            "jobs", "matview_tracked_relations", "matview_change_markers");
    public static final String HISTORY = "schema_history";

    public LibrarySchema {
        IdentifierValidator.validate(name);
    }

    public String quotedName() {
        return IdentifierValidator.quote(name);
    }

    public String registrations() {
        return quotedName() + ".matview_registrations";
    }

    public String runs() {
        return quotedName() + ".matview_refresh_runs";
    }

    public String schedules() {
        return quotedName() + ".job_schedules";
    }

    public String jobs() {
        return quotedName() + ".jobs";
    }

    /** The relations each tracked view reads (change tracking). */
    public String trackedRelations() {
        return quotedName() + ".matview_tracked_relations";
    }

    /** One row per (table, writing transaction) of a tracked table. */
    public String changeMarkers() {
        return quotedName() + ".matview_change_markers";
    }

    /** The trigger function that writes {@link #changeMarkers()}. */
    public String changeFunction() {
        return quotedName() + ".record_matview_change()";
    }

    public String history() {
        return quotedName() + ".schema_history";
    }
}
