package dev.ayb.matviews.testkit;

/**
 * One advisory lock row of {@code pg_locks}, with enough about its session to find the code that took it.
 *
 * @param pid             the backend holding (or waiting for) the lock
 * @param classid         {@code pg_locks.classid}: the high 32 bits of a {@code bigint} key, or the first
 *                        {@code int} key
 * @param objid           {@code pg_locks.objid}: the low 32 bits of a {@code bigint} key, or the second {@code int} key
 * @param objsubid        {@code 1} for a {@code bigint} key, {@code 2} for a pair of {@code int} keys
 * @param mode            e.g. {@code ExclusiveLock}, {@code ShareLock}
 * @param granted         false if the session is still waiting for the lock
 * @param applicationName the session's {@code application_name}
 * @param lastQuery       the session's latest statement
 */
record HeldAdvisoryLock(int pid, long classid, long objid, int objsubid, String mode, boolean granted,
        String applicationName, String lastQuery) {

    /** The key as the SQL that took it gave it: {@code pg_advisory_lock(key)} or {@code pg_advisory_lock(k1, k2)}. */
    String key() {
        return objsubid == 1 ? Long.toString((classid << 32) | objid) : (int) classid + ", " + (int) objid;
    }

    @Override
    public String toString() {
        return "pid " + pid + (granted ? " holds " : " waits for ") + mode + " on advisory key (" + key() + ")"
                + " [classid=" + classid + ", objid=" + objid + ", objsubid=" + objsubid + "]"
                + ", application_name '" + applicationName + "', last query: " + lastQuery;
    }
}
