package dev.ayb.matviews;

import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * Every failure the library reports, with the HTTP status an API should answer and the exact message
 * the original system used, so that clients written against it keep working.
 *
 * <p>{@link #errorName()} is a stable machine-readable name that never changes once published; the
 * message may carry details (the offending identifier, PostgreSQL's own text) for some codes.
 */
public enum ErrorCode {
    INVALID_IDENTIFIER(400, "invalid_identifier", "invalid identifier"),
    INVALID_ID_FORMAT(400, "invalid_id_format", "invalid matview id format"),
    INVALID_REFRESH_MODE(400, "invalid_refresh_mode", "refreshMode must be 'standard', 'concurrent' or 'swap'"),
    VIEW_NAME_REQUIRED(400, "view_name_required", "viewName is required"),
    INVALID_ARGUMENT(400, "invalid_argument", "invalid argument"),

    VIEW_NOT_FOUND(404, "view_not_found", "materialized view not found in database"),
    REGISTRATION_NOT_FOUND(404, "registration_not_found", "matview registration not found"),
    VIEW_NO_LONGER_EXISTS(404, "view_no_longer_exists", "materialized view no longer exists in database"),

    ALREADY_REGISTERED(409, "already_registered", "materialized view already registered"),
    REFRESH_IN_PROGRESS(409, "refresh_in_progress", "refresh already in progress"),
    CONCURRENT_REQUIRES_UNIQUE_INDEX(409, "concurrent_requires_unique_index",
            "concurrent refresh requires a unique index on the materialized view"),
    /** Typical after {@code pg_dump}/restore, which recreates views {@code WITH NO DATA}. */
    CONCURRENT_REQUIRES_POPULATED(409, "concurrent_requires_populated",
            "concurrent refresh requires a populated materialized view",
            "populate it once with a standard refresh, which leaves the registration in concurrent mode:"
                    + " POST .../refresh?mode=standard, 'ayb matviews refresh <view> --mode standard',"
                    + " or refreshes().refresh(ref, RefreshMode.STANDARD, trigger)"),
    /** CONCURRENTLY found rows that are equal in every column; PostgreSQL refuses to merge them. */
    CONCURRENT_DUPLICATE_ROWS(409, "concurrent_duplicate_rows",
            "concurrent refresh failed: the new data contains duplicate rows"),

    /**
     * A swap replaces the view by a new object: plain and materialized views reading it are bound to the old
     * one's id and would be dropped with it, so the swap is refused. The message names them.
     */
    SWAP_BLOCKED_BY_DEPENDANTS(409, "swap_blocked_by_dependants",
            "swap refresh is refused while other views depend on the materialized view"),
    /** The name a swap builds under is held by an object that is not a leftover of an earlier swap of the view. */
    SWAP_NAME_TAKEN(409, "swap_name_taken", "the name the swap refresh builds under is taken by another object"),

    /** The refresh waited longer than its {@code lock_timeout} for PostgreSQL's lock on the view. */
    REFRESH_LOCK_TIMEOUT(503, "refresh_lock_timeout", "refresh timed out waiting for a lock on the view"),
    /** The refresh ran longer than its {@code statement_timeout} and PostgreSQL cancelled it. */
    REFRESH_STATEMENT_TIMEOUT(503, "refresh_statement_timeout", "refresh exceeded its statement timeout"),
    /** The database role the library connects as may not refresh the view (it must own it). */
    REFRESH_PERMISSION_DENIED(500, "refresh_permission_denied",
            "the database role is not allowed to refresh the materialized view"),
    /**
     * Change tracking could not install or remove its triggers: PostgreSQL requires the {@code TRIGGER} privilege
     * on a table to create a trigger on it, and ownership of the table to drop one. With change capture from the
     * WAL: ownership of the table to publish it, {@code CREATE} on the database for the publication, and the
     * {@code REPLICATION} attribute for the slot.
     */
    TRACKING_PERMISSION_DENIED(500, "tracking_permission_denied",
            "the database role may not install or remove change-tracking triggers"),
    /**
     * Change capture from the WAL was asked for, and the server cannot decode its WAL: {@code wal_level} is not
     * {@code logical}, or every replication slot is in use.
     */
    CHANGE_CAPTURE_UNAVAILABLE(500, "change_capture_unavailable",
            "change capture from the WAL is not available on this server"),
    /** PostgreSQL rejected the refresh for another reason; the message keeps PostgreSQL's text. */
    REFRESH_FAILED(500, "refresh_failed", "refresh failed"),
    /** The library's own tables could not be read or written. */
    DATABASE_ERROR(500, "database_error", "database error"),

    // Schedules and jobs.
    SCHEDULE_NAME_REQUIRED(400, "name_required", "name is required"),
    SCHEDULE_NAME_TOO_LONG(400, "name_too_long", "name must be at most 100 characters"),
    JOB_TYPE_REQUIRED(400, "job_type_required", "jobType is required"),
    JOB_TYPE_TOO_LONG(400, "job_type_too_long", "jobType must be at most 100 characters"),
    CRON_REQUIRED(400, "cron_expr_required", "cronExpr is required"),
    INVALID_CRON(400, "invalid_cron_expression", "invalid cron expression"),
    INVALID_TIMEZONE(400, "invalid_timezone", "invalid timezone"),
    /** Rejected when the schedule is created, not discovered when it first runs (unlike the original). */
    UNKNOWN_JOB_TYPE(400, "unknown_job_type", "unknown job type"),
    INVALID_PAYLOAD(400, "invalid_payload", "invalid payload"),
    /** The original answered 500 here. */
    SCHEDULE_NAME_TAKEN(409, "schedule_name_taken", "schedule name already exists"),
    SCHEDULE_NOT_FOUND(404, "schedule_not_found", "schedule not found"),
    JOB_NOT_FOUND(404, "job_not_found", "job not found"),
    INVALID_JOB_STATE(409, "invalid_job_state", "job is not in a state that allows this"),
    JOB_QUEUE_DISABLED(503, "job_queue_disabled", "job queue is not enabled"),

    // Reading a view's rows (ayb-matviews-collections). The message names the parameter and what is wrong.
    /** A paging or format parameter out of range or malformed. */
    INVALID_PARAMETER(400, "invalid_parameter", "invalid parameter"),
    INVALID_FILTER(400, "invalid_filter", "invalid filter"),
    INVALID_SORT(400, "invalid_sort", "invalid sort"),
    INVALID_FIELDS(400, "invalid_fields", "invalid fields"),
    /** A cursor the API did not issue, or one issued for another order. */
    INVALID_CURSOR(400, "invalid_cursor", "invalid cursor"),
    /** PostgreSQL refused a filter value or a cursor key as a value of the column's type. */
    INVALID_VALUE(400, "invalid_value", "invalid value in filter or cursor"),
    /** The column's type has no such comparison or order (json has no {@code =}, no ORDER BY). */
    UNSUPPORTED_OPERATION(400, "unsupported_operation",
            "the filter or sort uses an operation the column's type does not support"),
    /** The database role of the pool may not read the view: the database's decision. */
    READ_PERMISSION_DENIED(403, "permission_denied", "the database role may not read the materialized view"),
    /** Created or restored {@code WITH NO DATA}: a refresh populates it. */
    VIEW_NOT_POPULATED(503, "view_not_populated", "materialized view has not been populated yet; refresh it first"),
    /** A query of the read ran longer than the read's statement timeout. */
    READ_TIMEOUT(503, "read_timeout", "reading the view took longer than the statement timeout"),
    /**
     * Reads are served from a replica that is down or further behind its primary than the host allows, and the
     * host chose to answer so rather than read from the primary.
     */
    REPLICA_UNAVAILABLE(503, "replica_unavailable", "the read replica is unavailable or too far behind its primary");

    private final int httpStatus;
    private final String errorName;
    private final String message;
    private final @Nullable String hint;

    ErrorCode(int httpStatus, String errorName, String message) {
        this(httpStatus, errorName, message, null);
    }

    ErrorCode(int httpStatus, String errorName, String message, @Nullable String hint) {
        this.httpStatus = httpStatus;
        this.errorName = errorName;
        this.message = message;
        this.hint = hint;
    }

    public int httpStatus() {
        return httpStatus;
    }

    public String errorName() {
        return errorName;
    }

    /** The message used when no detail is added. */
    public String defaultMessage() {
        return message;
    }

    /** What a caller can do about this failure, when the remedy is always the same; else empty. */
    public Optional<String> defaultHint() {
        return Optional.ofNullable(hint);
    }
}
