package dev.ayb.matviews.micrometer;

/** The meters' names and tags, in one place, because the README and dashboards built on them depend on them. */
final class MeterNames {
    static final String PREFIX = "ayb.matviews.";
    static final String REFRESH = PREFIX + "refresh";
    static final String REFRESH_REJECTED = PREFIX + "refresh.rejected";
    static final String VIEWS = PREFIX + "views";
    static final String VIEW_DATA_AGE = PREFIX + "view.data.age";
    static final String VIEW_LAG = PREFIX + "view.lag";
    static final String VIEW_TARGET_LAG = PREFIX + "view.target.lag";
    static final String JOBS = PREFIX + "jobs";
    static final String JOB_FAILURES = PREFIX + "jobs.failures";

    static final String TAG_VIEW = "view";
    static final String TAG_MODE = "mode";
    static final String TAG_TRIGGER = "trigger";
    static final String TAG_OUTCOME = "outcome";
    static final String TAG_STATE = "state";
    static final String TAG_TYPE = "type";

    private MeterNames() {
    }
}
