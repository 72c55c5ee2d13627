package dev.ayb.matviews.cli;

import dev.ayb.matviews.Registration;
import dev.ayb.matviews.ViewRef;
import dev.ayb.matviews.jdbc.AybMatviews;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(name = "unregister", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Remove a view's registration and its refresh history.",
            "The materialized view itself is not dropped."})
final class MatviewsUnregisterCommand extends DatabaseCommand {
    @Parameters(paramLabel = "<id | schema.view>", description = "The registration id, or the view's name.")
    String ref;

    MatviewsUnregisterCommand(CliContext context) {
        super(context);
    }

    @Override
    void run(AybMatviews matviews, Output output) {
        // Looked up first so the message names the view even when the id was given.
        Registration registration = matviews.registry().get(ViewRef.parse(ref));
        matviews.registry().unregister(ViewRef.of(registration.id()));
        output.line("Unregistered " + registration.qualifiedName() + " (the materialized view itself was not dropped)");
    }
}
