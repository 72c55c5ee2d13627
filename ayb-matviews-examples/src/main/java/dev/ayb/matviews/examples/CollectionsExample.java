package dev.ayb.matviews.examples;

import dev.ayb.matviews.QualifiedName;
import dev.ayb.matviews.collections.AybCollections;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.CollectionQuery;
import dev.ayb.matviews.jdbc.AybMatviews;
import java.util.List;
import javax.sql.DataSource;

/** Read a view's rows from Java, as /api/collections serves them: a filtered, sorted page, then the next one. */
public final class CollectionsExample {
    private CollectionsExample() {
    }

    public static void main(String[] args) throws Exception {
        SampleDatabase.runExample(CollectionsExample::run);
    }

    static void run(DataSource dataSource) {
        AybMatviews matviews = AybMatviews.builder().dataSource(dataSource).build();
        AybCollections collections = AybCollections.of(matviews);
        QualifiedName leaderboard = QualifiedName.parse("public.leaderboard");

        CollectionPage top = collections.read(leaderboard, CollectionQuery.builder()
                .filter("total_minutes >= 10").sort("-total_minutes,name").fields("name", "total_minutes")
                .perPage(5).build());
        System.out.println(top.totalItems() + " users have 10 minutes or more; the top five:");
        for (List<Object> row : top.rows()) {
            System.out.println("  " + row.get(0) + ": " + row.get(1) + " min");
        }

        CollectionPage next = collections.read(leaderboard, CollectionQuery.builder()
                .filter("total_minutes >= 10").sort("-total_minutes,name").fields("name", "total_minutes")
                .perPage(5).after(top.nextCursor()).build());
        System.out.println("page " + next.page() + " starts with " + next.rows().get(0).get(0));
    }
}
