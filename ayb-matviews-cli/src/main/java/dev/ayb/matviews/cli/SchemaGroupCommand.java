package dev.ayb.matviews.cli;

import picocli.CommandLine.Command;

/** {@code ayb schema}: groups the commands on the library's own tables; run alone it prints its usage. */
@Command(name = "schema", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Inspect the library's own tables: which migrations are applied and which are pending.")
final class SchemaGroupCommand {
}
