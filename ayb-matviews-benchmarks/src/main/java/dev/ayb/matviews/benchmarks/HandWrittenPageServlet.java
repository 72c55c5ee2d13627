package dev.ayb.matviews.benchmarks;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import javax.sql.DataSource;

/**
 * What an application would write by hand instead of the read API: {@code GET /hand-written?page=N} runs the
 * baseline's one query and writes its Jackson bytes. Served by the same Jetty as the library's servlet, so
 * the two differ only in what the library does per request.
 */
final class HandWrittenPageServlet extends HttpServlet {
    static final String PATH = "/hand-written";
    private static final long serialVersionUID = 1L;

    private final transient DataSource pool;

    HandWrittenPageServlet(DataSource pool) {
        this.pool = pool;
    }

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        byte[] body;
        try {
            body = ReadApiBenchmark.jdbcPage(pool, Integer.parseInt(request.getParameter("page")));
        } catch (Exception e) {
            throw new IOException("reading the page failed", e);
        }
        response.setContentType("application/json");
        response.setContentLength(body.length);
        response.getOutputStream().write(body);
    }
}
