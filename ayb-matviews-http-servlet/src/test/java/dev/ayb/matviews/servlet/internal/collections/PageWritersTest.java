package dev.ayb.matviews.servlet.internal.collections;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.RawJson;
import dev.ayb.matviews.collections.ValueKind;
import java.math.BigDecimal;
import java.util.Arrays;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class PageWritersTest {
    private static final CollectionColumn ID = new CollectionColumn("id", "bigint", ValueKind.INTEGER);
    private static final CollectionColumn NAME = new CollectionColumn("name", "text", ValueKind.CHARACTER);
    private static final CollectionColumn POINTS = new CollectionColumn("points", "numeric", ValueKind.NUMERIC);
    private static final CollectionColumn ACTIVE = new CollectionColumn("active", "boolean", ValueKind.BOOLEAN);
    private static final CollectionColumn DOC = new CollectionColumn("doc", "jsonb", ValueKind.JSON);

    private static CollectionPage page(List<CollectionColumn> fields, List<Object[]> rows, String cursor,
                                       boolean cursorPaging) {
        return new CollectionPage(1, 20, rows.size(), 1, fields, rows.stream().map(Arrays::asList).toList(), cursor,
                cursorPaging);
    }

    private static String csv(Object... row) {
        List<CollectionColumn> fields = IntStream.range(0, row.length)
                .mapToObj(i -> new CollectionColumn("c" + i, "text", ValueKind.CHARACTER)).toList();
        String text = new String(CsvPageWriter.write(page(fields, List.<Object[]>of(row), null, false)),
                StandardCharsets.UTF_8);
        return text.substring(text.indexOf("\r\n") + 2);
    }

    @Test
    void jsonWritesNumericsPlainAndEmbedsJsonAsIs() {
        Object[] row = {7L, new BigDecimal("12345678901234567890.12345678901234567890"), new RawJson("{\"n\": 1.50}"),
                null, true, 1.5f, "x\"y"};
        List<CollectionColumn> fields = List.of(ID, POINTS, DOC, NAME, ACTIVE,
                new CollectionColumn("ratio", "real", ValueKind.FLOAT4),
                new CollectionColumn("label", "text", ValueKind.CHARACTER));

        String json = new String(JsonPageWriter.write(page(fields, List.<Object[]>of(row), "abc", true)),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"page\":1,\"perPage\":20,\"totalItems\":1,\"totalPages\":1,\"items\":[{\"id\":7,"
                + "\"points\":12345678901234567890.12345678901234567890,\"doc\":{\"n\": 1.50},\"name\":null,"
                + "\"active\":true,\"ratio\":1.5,\"label\":\"x\\\"y\"}],\"nextCursor\":\"abc\"}");
    }

    @Test
    void jsonOfAViewWithoutCursorPagingHasNoNextCursorField() {
        String json = new String(JsonPageWriter.write(page(List.of(ID), List.of(), null, false)),
                StandardCharsets.UTF_8);

        assertThat(json).isEqualTo("{\"page\":1,\"perPage\":20,\"totalItems\":0,\"totalPages\":1,\"items\":[]}");
    }

    @Test
    void bigDecimalsAreNeverWrittenInScientificNotation() {
        String json = new String(JsonPageWriter.write(page(List.of(POINTS),
                List.<Object[]>of(new Object[] {new BigDecimal("1E+3")}, new Object[] {new BigDecimal("0.0000001")}),
                null, false)), StandardCharsets.UTF_8);

        assertThat(json).contains("{\"points\":1000}", "{\"points\":0.0000001}");
    }

    @Test
    void csvHasAHeaderRowAndQuotesOnlyWhatRfc4180Requires() {
        String text = new String(CsvPageWriter.write(page(List.of(ID, NAME),
                List.<Object[]>of(new Object[] {1L, "plain"}, new Object[] {2L, "a,b \"c\"\nd"}, new Object[] {3L, null}),
                null, true)), StandardCharsets.UTF_8);

        assertThat(text).isEqualTo("id,name\r\n1,plain\r\n2,\"a,b \"\"c\"\"\nd\"\r\n3,\r\n");
    }

    @Test
    void csvPrefixesTextThatASpreadsheetWouldRunAsAFormula() {
        assertThat(csv("=HYPERLINK(\"http://x\")", "+1", "-2+3", "@SUM(A1)", "\tx", "\rx"))
                .isEqualTo("\"'=HYPERLINK(\"\"http://x\"\")\",'+1,'-2+3,'@SUM(A1),'\tx,\"'\rx\"\r\n");
        assertThat(csv("safe = text", "")).isEqualTo("safe = text,\r\n");
    }

    @Test
    void csvWritesNumbersAndJsonUnprefixed() {
        assertThat(csv(-5L, new BigDecimal("-1E+2"), new RawJson("-1"), new RawJson("[1,\"a\"]"), -0.5d, false))
                .isEqualTo("-5,-100,-1,\"[1,\"\"a\"\"]\",-0.5,false\r\n");
    }
}
