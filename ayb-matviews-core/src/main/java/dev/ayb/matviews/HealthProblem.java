package dev.ayb.matviews;

/** Why a view makes a {@link HealthReport} unhealthy. */
public enum HealthProblem {
    /** Its last refresh failed. */
    FAILING("failing"),
    /** Its sources changed longer ago than the health threshold, and it has not been refreshed since. */
    BEHIND("behind"),
    /**
     * It has a target lag and is further behind than that target right now (its refresh takes longer than the
     * target, keeps failing, or the job runner is not running): the target is being missed.
     */
    TARGET_MISSED("target_missed");

    private final String wireName;

    HealthProblem(String wireName) {
        this.wireName = wireName;
    }

    public String wireName() {
        return wireName;
    }

    @Override
    public String toString() {
        return wireName;
    }
}
