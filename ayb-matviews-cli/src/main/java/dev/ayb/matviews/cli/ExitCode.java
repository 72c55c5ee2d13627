package dev.ayb.matviews.cli;

import dev.ayb.matviews.MatviewException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The exit statuses of {@code ayb}. Scripts branch on them, so a status never changes meaning once
 * published; a new kind of outcome gets a new number.
 */
final class ExitCode {
    static final int OK = 0;
    /** The command failed: the library refused it, PostgreSQL refused the login, or the refresh failed. */
    static final int ERROR = 1;
    /** The command line was wrong; picocli's own status for invalid input. */
    static final int USAGE = 2;
    /** Another session holds the view's refresh lock: nothing is broken, try again later. */
    static final int REFRESH_IN_PROGRESS = 3;
    /** The registration, schedule, job or materialized view named does not exist. */
    static final int NOT_FOUND = 4;
    /** {@code ayb matviews status}: a view is failing, or behind its sources for longer than the threshold. */
    static final int UNHEALTHY = 5;
    /** PostgreSQL could not be reached (refused, timed out, starting up): worth retrying, unlike a refused login. */
    static final int CANNOT_CONNECT = 6;
    /** The library's schema lacks migrations and this command may not apply them ({@code --no-migrate}, or no privilege). */
    static final int SCHEMA_NOT_MIGRATED = 7;

    private ExitCode() {
    }

    /** The list shown under "Exit codes:" in the usage help. */
    static Map<String, String> helpList() {
        Map<String, String> list = new LinkedHashMap<>();
        list.put(String.valueOf(OK), "Success.");
        list.put(String.valueOf(ERROR), "Error: the command failed (the message says why), e.g. the login was"
                + " refused or a job waited for failed.");
        list.put(String.valueOf(USAGE), "Usage error: unknown command or option, missing or invalid value,"
                + " no database URL.");
        list.put(String.valueOf(REFRESH_IN_PROGRESS), "Refresh already in progress: another session is"
                + " refreshing the view; try again later.");
        list.put(String.valueOf(NOT_FOUND), "Not found: no such registration, schedule, job or materialized view.");
        list.put(String.valueOf(UNHEALTHY), "Unhealthy (matviews status): a view is failing, behind its sources"
                + " for longer than the threshold, or further behind than its target lag.");
        list.put(String.valueOf(CANNOT_CONNECT), "Cannot connect: PostgreSQL could not be reached; try again later.");
        list.put(String.valueOf(SCHEMA_NOT_MIGRATED), "Schema not migrated: the library's tables lack migrations"
                + " that this command may not apply (--no-migrate, or a role without CREATE); run 'ayb migrate'.");
        return list;
    }

    /** The status a command ends with when it throws {@code failure}. */
    static int of(Throwable failure) {
        if (failure instanceof CliFailure cli) {
            return cli.exitCode();
        }
        if (failure instanceof MatviewException matview) {
            return switch (matview.code()) {
                case REFRESH_IN_PROGRESS -> REFRESH_IN_PROGRESS;
                case REGISTRATION_NOT_FOUND, VIEW_NOT_FOUND, VIEW_NO_LONGER_EXISTS, SCHEDULE_NOT_FOUND, JOB_NOT_FOUND ->
                        NOT_FOUND;
                default -> ERROR;
            };
        }
        return ERROR;
    }
}
