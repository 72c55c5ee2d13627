package dev.ayb.matviews;

/** Why a view makes a {@link HealthReport} unhealthy. */
public enum HealthProblem {
    /** Its last refresh failed. */
    FAILING("failing"),
    /** Its sources changed longer ago than the health threshold, and it has not been refreshed since. */
    BEHIND("behind");

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
