package dev.ayb.matviews.servlet.internal.collections;

import dev.ayb.matviews.collections.CollectionColumn;
import dev.ayb.matviews.collections.CollectionPage;
import dev.ayb.matviews.collections.RawJson;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * RFC 4180 CSV: a header row of column names, then one record per row, CRLF line ends, a field quoted when
 * it holds a comma, a quote or a line break (quotes doubled). NULL is an empty field; numbers and booleans
 * as in JSON; json, jsonb and arrays as their JSON text.
 *
 * <p>Spreadsheet formula injection: a text value starting with {@code = + - @}, a tab or a carriage return
 * would be run as a formula by Excel, LibreOffice or Google Sheets when the file is opened, so such values
 * are prefixed with {@code '} (OWASP's advice). Numbers are never prefixed (a negative number is data, not
 * a formula), and neither is JSON text, which cannot start with a formula character except as a number.
 */
final class CsvPageWriter {
    private static final String FORMULA_STARTS = "=+-@\t\r";

    private CsvPageWriter() {
    }

    static byte[] write(CollectionPage page) {
        StringBuilder csv = new StringBuilder(256 + page.rows().size() * 64);
        List<CollectionColumn> fields = page.fields();
        for (int i = 0; i < fields.size(); i++) {
            field(csv.append(i > 0 ? "," : ""), fields.get(i).name());
        }
        csv.append("\r\n");
        for (List<Object> row : page.rows()) {
            for (int i = 0; i < row.size(); i++) {
                field(csv.append(i > 0 ? "," : ""), cell(row.get(i)));
            }
            csv.append("\r\n");
        }
        return csv.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static String cell(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof BigDecimal number) {
            return number.toPlainString();
        }
        if (value instanceof RawJson raw) {
            return raw.text();
        }
        if (value instanceof String text) {
            return !text.isEmpty() && FORMULA_STARTS.indexOf(text.charAt(0)) >= 0 ? "'" + text : text;
        }
        return value.toString();
    }

    private static void field(StringBuilder csv, String value) {
        boolean quote = value.indexOf(',') >= 0 || value.indexOf('"') >= 0 || value.indexOf('\n') >= 0
                || value.indexOf('\r') >= 0;
        if (!quote) {
            csv.append(value);
            return;
        }
        csv.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            csv.append(c == '"' ? "\"\"" : String.valueOf(c));
        }
        csv.append('"');
    }
}
