package dev.ayb.matviews.cli;

/**
 * A failure the tool detects itself, outside the library (no database URL, no connection), with the
 * exit status it ends in. Its message is written for the operator and never contains the password.
 */
final class CliFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int exitCode;

    private CliFailure(int exitCode, String message, Throwable cause) {
        super(message, cause);
        this.exitCode = exitCode;
    }

    static CliFailure usage(String message) {
        return new CliFailure(ExitCode.USAGE, message, null);
    }

    static CliFailure error(String message, Throwable cause) {
        return new CliFailure(ExitCode.ERROR, message, cause);
    }

    /** PostgreSQL could not be reached at all: a script may try again. */
    static CliFailure cannotConnect(String message, Throwable cause) {
        return new CliFailure(ExitCode.CANNOT_CONNECT, message, cause);
    }

    static CliFailure schemaNotMigrated(String message, Throwable cause) {
        return new CliFailure(ExitCode.SCHEMA_NOT_MIGRATED, message, cause);
    }

    int exitCode() {
        return exitCode;
    }
}
