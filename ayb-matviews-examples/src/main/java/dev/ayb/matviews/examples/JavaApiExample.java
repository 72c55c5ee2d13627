package dev.ayb.matviews.examples;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.RefreshMode;
import dev.ayb.matviews.RefreshResult;
import dev.ayb.matviews.Registration;
import dev.ayb.matviews.jdbc.AybMatviews;
import javax.sql.DataSource;

/** Register a view, refresh it, read its status: the README's quick start. */
public final class JavaApiExample {
    private JavaApiExample() {
    }

    public static void main(String[] args) throws Exception {
        SampleDatabase.runExample(JavaApiExample::run);
    }

    static void run(DataSource dataSource) {
        AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();

        matviews.registry().register(QualifiedName.parse("public.leaderboard"), RefreshMode.CONCURRENT);

        RefreshResult result = matviews.refreshes().refresh("public.leaderboard");
        System.out.println("Refreshed in " + result.durationMs() + " ms");

        for (Registration view : matviews.registry().list()) {
            System.out.printf("%s.%s  %s  last refresh %s: %s%n", view.schemaName(), view.viewName(),
                    view.refreshMode(), view.lastRefreshAt(), view.lastRefreshStatus());
        }
    }
}
