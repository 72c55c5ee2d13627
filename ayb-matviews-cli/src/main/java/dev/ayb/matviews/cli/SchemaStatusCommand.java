package dev.ayb.matviews.cli;

import dev.ayb.matviews.jdbc.SchemaStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Show which of the library's migrations the database has and which are pending. Reads only:"
                + " any role that can read the schema may run it.",
            "Exits 0 when the schema is up to date, " + ExitCode.SCHEMA_NOT_MIGRATED + " when migrations are pending"
                    + " (run 'ayb migrate'), " + ExitCode.ERROR + " when the database is newer than this tool."})
final class SchemaStatusCommand extends SchemaCommand {
    @Mixin
    JsonOutput json;

    SchemaStatusCommand(CliContext context) {
        super(context);
    }

    @Override
    int run(Database database, Output output) {
        SchemaStatus status = database.schemaStatus();
        if (json.requested) {
            output.json(SchemaJson.status(status));
        } else {
            TextTable table = new TextTable("VERSION", "DESCRIPTION", "STATE", "INSTALLED");
            status.applied().forEach(version -> table.row("V" + version.version(), version.description(), "applied",
                    Display.timestamp(version.installedAt())));
            status.pending().forEach(version -> table.row("V" + version.version(), version.description(), "pending",
                    Display.NONE));
            output.line(summary(status));
            output.table(table);
        }
        if (status.newerThanLibrary()) {
            return ExitCode.ERROR;
        }
        return status.upToDate() ? ExitCode.OK : ExitCode.SCHEMA_NOT_MIGRATED;
    }

    private static String summary(SchemaStatus status) {
        if (status.newerThanLibrary()) {
            return "Schema " + status.schema() + " is newer than this tool: upgrade ayb before using it.";
        }
        if (status.upToDate()) {
            return "Schema " + status.schema() + " is up to date.";
        }
        return "Schema " + status.schema() + ": " + status.pending().size() + " pending migration"
                + (status.pending().size() == 1 ? "" : "s") + "; run 'ayb migrate'.";
    }
}
