package dev.ayb.matviews.jdbc.support;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * A one-row question asked in the same statement as another query, so that a caller polling both pays one round
 * trip: the job runner's "when is the next work?" rides on the target-lag planner's read ({@link TargetedViews}).
 * Not API.
 *
 * @param <T> what the row says
 */
public interface SideRow<T> {
    /**
     * A {@code SELECT} that returns exactly one row (no {@code FROM}, or aggregates only). Its column names must
     * not be any the main query reads, so they are best given a prefix of their own.
     */
    String sql();

    /** Binds the {@code ?} of {@link #sql()}, the first of them at {@code firstIndex}. */
    void bind(PreparedStatement statement, int firstIndex) throws SQLException;

    /** Reads the row, by column name: the main query's columns come in the same row. */
    T read(ResultSet row) throws SQLException;
}
