package dev.ayb.matviews.jdbc.internal;

import dev.ayb.matviews.jdbc.support.PgErrors;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import org.junit.jupiter.api.Test;

class RefreshSqlTest {

    @Test
    void standardRefreshIsExactlyTheOriginalStatement() {
        assertThat(PgRefreshSession.refreshSql(QualifiedName.parse("public.leaderboard"), RefreshMode.STANDARD))
                .isEqualTo("REFRESH MATERIALIZED VIEW \"public\".\"leaderboard\"");
    }

    @Test
    void concurrentRefreshIsExactlyTheOriginalStatement() {
        assertThat(PgRefreshSession.refreshSql(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT))
                .isEqualTo("REFRESH MATERIALIZED VIEW CONCURRENTLY \"public\".\"leaderboard\"");
    }

    @Test
    void pgMessageLosesItsSeverityPrefixAndDetailLines() {
        var e = new java.sql.SQLException("ERROR: division by zero\n  Where: SQL statement", "22012");
        assertThat(PgErrors.serverMessage(e)).isEqualTo("division by zero");
    }
}
