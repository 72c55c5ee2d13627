package dev.ayb.matviews.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ayb.matviews.RefreshListener;
import dev.ayb.matviews.jdbc.SchemaStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

@Command(name = "migrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Create or update the library's tables: apply the pending migrations.",
            "As the application does on start-up. Run it as a role that may create tables in the library's schema"
                    + " (and the schema in the database, the first time); other roles can then use --no-migrate.",
            "Does nothing when the schema is up to date. " + CliContext.MIGRATE_VARIABLE
                    + "=false and no-migrate=true in a settings file do not stop it: this command is the explicit"
                    + " request."})
final class MigrateCommand extends SchemaCommand {
    @Mixin
    JsonOutput json;

    MigrateCommand(CliContext context) {
        super(context);
    }

    @Spec
    CommandSpec spec;

    /** Only {@code --no-migrate} on the command line contradicts the command; a settings file's default does not. */
    @Override
    void checkArguments() {
        for (CommandLine command = spec.commandLine(); command != null; command = command.getParent()) {
            ParseResult parsed = command.getParseResult();
            if (parsed != null && parsed.hasMatchedOption("--no-migrate")) {
                throw CliFailure.usage("--no-migrate cannot be combined with migrate");
            }
        }
    }

    @Override
    int run(Database database, Output output) {
        SchemaStatus before = database.schemaStatus();
        database.library(true, RefreshListener.NONE);
        SchemaStatus after = database.schemaStatus();
        if (json.requested) {
            ObjectNode document = SchemaJson.status(after);
            document.set("appliedNow", SchemaJson.versions(before.pending()));
            output.json(document);
        } else if (before.upToDate()) {
            output.line("Schema " + after.schema() + " is up to date; nothing to apply.");
        } else {
            output.line("Applied " + SchemaVersions.list(before.pending()) + " to schema " + after.schema() + ".");
        }
        return ExitCode.OK;
    }
}
