package dev.ayb.matviews.cli;

import picocli.CommandLine.Command;

/** {@code ayb matviews}: groups the commands on registrations; run alone it prints its usage. */
@Command(name = "matviews", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Register, refresh, list, update and unregister materialized views; their history and sources.")
final class MatviewsCommand {
}
