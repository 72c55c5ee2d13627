package dev.ayb.matviews.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code ayb}: only groups commands; the exit codes and environment variables are documented here. */
@Command(name = "ayb", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {
            "Manage PostgreSQL materialized views and their refresh schedules.",
            "Talks to the database directly through the library, so it works whether or not the application"
                    + " runs, and shares its registrations and schedules."},
        footerHeading = "%nEnvironment:%n",
        footer = {
            "  " + ConnectionSettings.URL_VARIABLE + "       JDBC URL when --database-url is not given",
            "  " + ConnectionSettings.USER_VARIABLE + "      user when --user is not given",
            "  " + ConnectionSettings.PASSWORD_VARIABLE + "  password when --password is not given",
            "  " + ConnectionSettings.SCHEMA_VARIABLE + "             library schema when --ayb-schema is not given",
            "  " + ConnectionSettings.CAPTURE_VARIABLE + "     --change-capture when it is not given",
            "  " + CliContext.MIGRATE_VARIABLE + "=false      as --no-migrate",
            "",
            "Files:",
            "  ~/.ayb/cli.properties  default option values, keys named as the options",
            "                         (database-url=...), or the file of --config <file>",
            "  ~/.pgpass              passwords, read by the driver when none is given",
            "                         (or the file PGPASSFILE names)"})
final class RootCommand {
    @Mixin
    GlobalOptions options;

    RootCommand(GlobalOptions options) {
        this.options = options;
    }
}
