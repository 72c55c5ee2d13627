package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ayb.matviews.testkit.RequiredTool;
import dev.ayb.matviews.testkit.http.AdminClient;
import dev.ayb.matviews.testkit.http.Reply;
import java.net.URI;
import java.net.http.HttpRequest.BodyPublishers;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.openqa.selenium.By;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.support.ui.Select;

/**
 * The walk through the admin dashboard in a real headless Chromium, against the demo (Jetty, the
 * admin, schedules, jobs and collections APIs, an embedded PostgreSQL with the seed's sample data): sign in,
 * register a discovered view in concurrent mode, refresh it, read its history chart, switch its mode, create
 * and run a schedule, unregister, watch a tracked view fall behind its sources. Screenshots of each step go to target/dashboard-screenshots/ for a person
 * to look at.
 *
 * <p>Needs {@code chromium} and {@code chromedriver} on the PATH (Debian's {@code chromium} and
 * {@code chromium-driver}; {@code .ci/run} installs them). Without them each test fails under CI ({@code CI=true})
 * and is skipped, and counted as skipped, elsewhere. Nothing here downloads a browser or a driver.
 */
// One test walks the whole dashboard, each step waiting up to 30 s for the browser: more than the suite default.
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DashboardBrowserTest {
    private static final String TOKEN = "token";
    private static final String VIEW = "public.workout_totals";
    private static final String ROW = "tr[data-view='" + VIEW + "']";
    private static final String SCHEDULE = "workout_totals_every_minute";
    private static final String SCHEDULE_ROW = "tr[data-schedule='" + SCHEDULE + "']";
    private static final Path SCREENSHOTS = Path.of("target", "dashboard-screenshots");
    private static final RequiredTool CHROMIUM = DashboardBrowser.chromium();
    private static final RequiredTool CHROMEDRIVER = DashboardBrowser.chromedriver();

    private static RunningDemo demo;
    private static DashboardBrowser browser;
    private static AccessibilityAudit audit;

    /**
     * Per test, not in {@code @BeforeAll}, so that a missing browser is counted: a failure under CI, a skip
     * elsewhere (see {@link RequiredTool}). The demo and the browser start once, for the first test that runs.
     */
    @BeforeEach
    void startTheDemoAndTheBrowserOnce() throws Exception {
        Path chromium = CHROMIUM.require();
        Path chromedriver = CHROMEDRIVER.require();
        if (demo == null) {
            demo = RunningDemo.start(new DemoSettings(0, null, null, null, null, TOKEN, true));
        }
        if (browser == null) {
            browser = DashboardBrowser.start(chromium, chromedriver, SCREENSHOTS);
            audit = new AccessibilityAudit(browser);
        }
    }

    @AfterAll
    static void stop() {
        try {
            if (browser != null) {
                browser.close();
            }
        } finally {
            if (demo != null) {
                demo.close();
            }
        }
    }

    private static String base() {
        return "http://127.0.0.1:" + demo.port();
    }

    private static Pattern failedToLoad(int status, String path) {
        return Pattern.compile(Pattern.quote(path) + ".*Failed to load resource: the server responded with a status of "
                + status);
    }

    @Test
    void anAdminWalksThroughTheDashboard() throws Exception {
        signInAfterAWrongToken();
        registerWorkoutTotalsInConcurrentMode();
        refreshItWithASpinnerAConflictAndSuccess();
        readItsHistoryChart();
        switchItToStandardMode();
        refreshItWithItsUpstreamViews();
        createAndRunASchedule();
        retryAFailedJobAndCancelAQueuedOne();
        unregisterIt();
        lookAtItOnANarrowScreen();
        seeTheFailedLeaderboardInTheHealthSummary();
        seeTheTrackedLeaderboardFallBehindAfterASourceWrite();
        watchRefreshesMadeElsewhereArriveWithoutAReload();
    }

    /**
     * 10,000 registrations: the list asks the server for one page, so it draws in well under a second, filters
     * (in SQL) as the person types, sorts by a column (aria-sort says which) and pages. The views are tiny and
     * never populated, created and registered in one statement each way, and dropped afterwards.
     */
    @Test
    void tenThousandViewsStayResponsive() throws Exception {
        // A schema sorting after public, so the walk's views stay on the first page should this one fail.
        manyViews("CREATE SCHEMA zz_many", "CREATE MATERIALIZED VIEW zz_many.%I AS SELECT 1 AS n WITH NO DATA");
        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO ayb.matview_registrations (id, schema_name, view_name, refresh_mode,"
                    + " created_at, updated_at) SELECT gen_random_uuid(), 'zz_many', matviewname, 'standard', now(),"
                    + " now() FROM pg_matviews WHERE schemaname = 'zz_many'");
        }
        try {
            signIn();
            browser.until("the first page of 10,000", d -> text("#views-pager [data-field='page']") != null
                    && text("#views-pager [data-field='page']").contains("views"));
            long shownAt = System.nanoTime();
            browser.click("#views-reload");
            listLoaded();
            long reloadMs = (System.nanoTime() - shownAt) / 1_000_000;
            assertThat(browser.findAll("#views-table tbody tr")).hasSize(50);
            assertThat(text("#views-pager [data-field='page']")).contains("10,0");
            int renderMs = Integer.parseInt(attribute("#views-body", "data-render-ms"));
            System.out.printf("10,000 views: a page fetched and drawn in %d ms in the browser (%d ms seen by the test)%n",
                    renderMs, reloadMs);
            assertThat(renderMs).as("a page of 10,000 views, fetched and drawn").isLessThan(2000);
            browser.screenshot("views-10000");

            browser.find("#views-filter").sendKeys("zz_many.v0999");
            browser.until("the filtered rows", d -> browser.findAll("#views-table tbody tr").size() == 10);
            assertThat(browser.findAll("#views-table tbody tr")).extracting(r -> r.getDomAttribute("data-view"))
                    .allMatch(name -> name.startsWith("zz_many.v0999"));
            browser.screenshot("views-10000-filtered");
            audit.check("the filtered views list");

            browser.find("#views-filter").clear();
            browser.find("#views-filter").sendKeys("zz_many.v");
            browser.until("the 10,000 views of schema zz_many", d -> text("#views-pager [data-field='page']") != null
                    && text("#views-pager [data-field='page']").startsWith("Page 1 of 200 "));
            browser.click("#views-table th button[data-sort='viewName']");
            browser.until("sorted by view", d -> "ascending".equals(attribute("#views-table th:nth-child(2)", "aria-sort")));
            browser.click("#views-table th button[data-sort='viewName']");
            browser.until("sorted by view, descending", d ->
                    "descending".equals(attribute("#views-table th:nth-child(2)", "aria-sort")));
            assertThat(attribute("#views-table tbody tr", "data-view")).isEqualTo("zz_many.v10000");
            assertThat(browser.script("return document.activeElement.dataset.sort")).as("focus stays on the header")
                    .isEqualTo("viewName");
            assertThat(attribute("#views-table th:nth-child(1)", "aria-sort")).isEqualTo("none");
            browser.click("#views-pager button[data-page='next']");
            browser.until("page 2", d -> text("#views-pager [data-field='page']").startsWith("Page 2 of "));
            assertThat(attribute("#views-table tbody tr", "data-view")).isEqualTo("zz_many.v09950");
            browser.screenshot("views-10000-sorted-page-2");
            audit.check("a sorted second page of views");
            browser.assertNoConsoleErrors("10,000 views");
        } finally {
            // Signed out, so the walk, whichever test runs first, starts at the sign-in form.
            browser.script("sessionStorage.clear()");
            try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("DELETE FROM ayb.matview_registrations WHERE schema_name = 'zz_many'");
            }
            manyViews(null, "DROP MATERIALIZED VIEW zz_many.%I");
            try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
                 Statement statement = connection.createStatement()) {
                statement.execute("DROP SCHEMA zz_many");
            }
        }
    }

    /**
     * Runs the statement for views v00001 to v10000, a thousand per transaction: each takes a lock on its view
     * until the end of its transaction, and ten thousand at once would overflow the lock table.
     */
    private static void manyViews(String first, String statementFormat) throws Exception {
        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            if (first != null) {
                statement.execute(first);
            }
            for (int from = 1; from <= 10_000; from += 1000) {
                statement.execute("DO $$ BEGIN FOR i IN " + from + ".." + (from + 999) + " LOOP"
                        + " EXECUTE format('" + statementFormat.replace("'", "''") + "', 'v' || lpad(i::text, 5, '0'));"
                        + " END LOOP; END $$");
            }
        }
    }

    /** Signs in on the views page, unless this tab is signed in already. */
    private void signIn() {
        browser.open(base() + "/admin/#/views");
        browser.until("the sign-in form or the views", d -> !browser.findAll("#signin-token, #views-body").isEmpty());
        if (!browser.findAll("#signin-token").isEmpty()) {
            browser.find("#signin-token").sendKeys(TOKEN);
            browser.click("#signin-submit");
        }
        listLoaded();
    }

    /** An instance without jobs answers the schedule and job routes 503: the page says so instead of failing. */
    @Test
    void withoutJobsTheSchedulesPageSaysTheQueueIsOff() throws Exception {
        try (RunningDemo noJobs = RunningDemo.start(new DemoSettings(0, null, demo.databaseUrl(), null, null, TOKEN,
                false))) {
            browser.open("http://127.0.0.1:" + noJobs.port() + "/admin/#/schedules");
            browser.visible("#signin-token").sendKeys(TOKEN);
            browser.click("#signin-submit");
            String notice = browser.textContains("#schedules-body #jobs-disabled", "job queue is not enabled");
            assertThat(notice).contains("503");
            assertThat(browser.find("#schedule-open").isEnabled()).as("New schedule").isFalse();
            browser.textContains("#jobs-body #jobs-unavailable", "job queue is not enabled");
            browser.screenshot("jobs-disabled-503");
            browser.assertNoConsoleErrors("schedules without jobs", failedToLoad(503, "/api/admin/schedules"),
                    failedToLoad(503, "/api/admin/jobs"));
            browser.until("the live feed to be connected", d ->
                    "live".equals(browser.find("#live-status").getDomAttribute("data-state")));
        }
        // The server went away under the open page: the top bar says the live feed is disconnected.
        browser.until("the disconnected indicator", d ->
                "disconnected".equals(browser.find("#live-status").getDomAttribute("data-state")));
        assertThat(browser.find("#live-status").getText()).startsWith("Disconnected");
        browser.screenshot("live-feed-disconnected");
        // Leaving the page ends its reconnection attempts; the errors of the stream cut and of those attempts
        // are the ones this step provoked.
        browser.open("about:blank");
        browser.assertNoConsoleErrors("the server gone", Pattern.compile(
                "/api/admin/events .*net::ERR_(INCOMPLETE_CHUNKED_ENCODING|CONNECTION_REFUSED|EMPTY_RESPONSE)"));
    }

    private void signInAfterAWrongToken() {
        browser.open(base() + "/admin");
        assertThat(browser.driver().getCurrentUrl()).as("/admin redirects to /admin/").endsWith("/admin/");
        browser.visible("#signin-token");
        assertThat(browser.find("label[for='signin-token']").getText()).isEqualTo("Admin token");
        assertThat(browser.script("return document.activeElement.id")).isEqualTo("signin-token");
        browser.screenshot("signin");
        audit.check("the sign-in page");

        browser.find("#signin-token").sendKeys("not-the-token");
        browser.click("#signin-submit");
        String refused = browser.textContains("#signin-error", "401");
        assertThat(refused).contains("refused this token");
        assertThat(browser.script("return sessionStorage.length")).isEqualTo(0L);
        browser.screenshot("signin-wrong-token-401");
        audit.check("the sign-in page with its error");
        browser.assertNoConsoleErrors("a wrong token", failedToLoad(401, "/api/admin/matviews"));

        WebElement input = browser.find("#signin-token");
        input.clear();
        input.sendKeys(TOKEN);
        browser.click("#signin-submit");
        browser.visible("#views-table tr[data-view='public.leaderboard']");
        assertThat(browser.driver().getCurrentUrl()).endsWith("/admin/#/views").doesNotContain(TOKEN);
        assertThat(browser.script("return sessionStorage.getItem('ayb-matviews.admin-token')")).isEqualTo(TOKEN);
        assertThat(browser.find("nav a[aria-current='page']").getText()).isEqualTo("Materialized views");
        assertThat(browser.find(".page-header h1").getText()).isEqualTo("Materialized views");
        browser.screenshot("views");
        audit.check("the views list");
        browser.assertNoConsoleErrors("signing in");
    }

    private void registerWorkoutTotalsInConcurrentMode() {
        browser.click("#register-open");
        browser.visible("#register-dialog[open]");
        WebElement select = browser.until("discovered views in the dropdown", d -> {
            WebElement element = browser.find("#register-view");
            return element.isEnabled() ? element : null;
        });
        List<String> values = new Select(select).getOptions().stream().map(o -> o.getDomProperty("value")).toList();
        assertThat(values).as("only discovered views that are not registered").contains(VIEW)
                .doesNotContain("public.leaderboard");
        new Select(select).selectByValue(VIEW);
        assertThat(browser.find("#register-view-hint").getText()).contains("can be refreshed concurrently")
                .contains("can be refreshed by swap");
        assertThat(browser.find("#register-mode-swap").isEnabled()).as("nothing depends on the view").isTrue();
        browser.click("#register-mode-concurrent");
        assertThat(browser.find("#register-mode-concurrent").isSelected()).isTrue();
        browser.screenshot("register-dialog");
        audit.check("the register dialog");
        browser.click("#register-submit");

        browser.gone("#register-dialog[open]");
        browser.visible(ROW);
        assertThat(browser.find(ROW + " [data-field='mode']").getText()).isEqualTo("concurrent");
        assertThat(browser.find(ROW + " [data-field='status'] .badge").getText()).isEqualTo("never");
        assertThat(browser.find(ROW + " [data-field='data-age']").getText()).isEqualTo("never");
        browser.textContains("#notice", "Registered " + VIEW + " in concurrent mode");
        browser.screenshot("registered");
        browser.assertNoConsoleErrors("registering");
    }

    /**
     * The table the view reads is locked in the database so the refresh waits: the spinner can be seen, and
     * a second refresh meanwhile is refused with 409; once the lock goes, the first one succeeds.
     */
    private void refreshItWithASpinnerAConflictAndSuccess() throws Exception {
        try (Connection lock = DriverManager.getConnection(demo.databaseUrl())) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE public.workouts IN ACCESS EXCLUSIVE MODE");
            }
            browser.click(ROW + " button[data-action='refresh']");
            browser.visible(ROW + " [data-field='status'] .badge-refreshing .spinner");
            assertThat(browser.find(ROW + " button[data-action='refresh']").getDomAttribute("aria-busy")).isEqualTo("true");
            assertThat(browser.find(ROW + " button[data-action='refresh']").isEnabled()).isFalse();
            browser.textContains("#notice", "Refreshing " + VIEW);
            browser.screenshot("refreshing-spinner");

            // Drawn again, the row offers Refresh while the first refresh still waits: the server says 409.
            browser.click("#views-reload");
            browser.until("the reloaded row to offer Refresh", d ->
                    browser.find(ROW + " button[data-action='refresh']").isEnabled());
            browser.click(ROW + " button[data-action='refresh']");
            String conflict = browser.textContains("#alert", "409");
            assertThat(conflict).contains(VIEW).contains("already").contains("try again");
            browser.screenshot("refresh-conflict-409");
            browser.assertNoConsoleErrors("a conflicting refresh", failedToLoad(409, "/refresh"));

            lock.commit();
        }
        browser.visible(ROW + " [data-field='status'] .badge-success");
        assertThat(browser.find(ROW + " [data-field='status']").getText()).isEqualTo("success");
        String duration = browser.find(ROW + " [data-field='duration']").getText();
        assertThat(duration).matches("\\d+ ms|\\d+\\.\\d+ s|\\d+ min \\d+ s");
        browser.textContains("#notice", "Refreshed " + VIEW + " in ");
        assertThat(browser.find(ROW + " [data-field='last-refresh'] time").getDomAttribute("datetime"))
                .matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        WebElement dataAge = browser.find(ROW + " [data-field='data-age'] time");
        assertThat(dataAge.getDomAttribute("datetime")).matches("\\d{4}-\\d\\d-\\d\\dT.*Z");
        assertThat(dataAge.getDomAttribute("title")).contains(dataAge.getDomAttribute("datetime"));
        assertThat(dataAge.getText()).isNotBlank().isNotEqualTo("never");
        browser.screenshot("refreshed-success");
        browser.assertNoConsoleErrors("refreshing");
    }

    private void readItsHistoryChart() {
        browser.click(ROW + " a[data-field='link']");
        browser.textContains(".page-header h1", VIEW);
        WebElement chart = browser.visible("#history-chart svg.history-chart");
        assertThat(Integer.parseInt(chart.getDomAttribute("data-points"))).isGreaterThanOrEqualTo(1);
        assertThat(browser.findAll("#history-chart .chart-point.chart-success")).isNotEmpty();
        assertThat(chart.getDomAttribute("role")).isEqualTo("img");
        assertThat(browser.find("#history-chart svg desc").getDomProperty("textContent")).contains("succeeded");
        assertThat(browser.findAll("#runs-table tbody tr")).isNotEmpty();
        assertThat(browser.find("#runs-table tbody tr").getText()).contains("success").contains("http");
        assertThat(browser.find("#view-summary [data-field='duration']").getText()).isNotEqualTo("—");
        browser.screenshot("view-history-chart");
        audit.check("a view's page");
        browser.assertNoConsoleErrors("the view's page");
    }

    private void switchItToStandardMode() {
        browser.click("nav a[data-nav='views']");
        browser.visible(ROW);
        browser.click(ROW + " button[data-action='mode']");
        browser.visible("#mode-dialog[open]");
        assertThat(browser.find("#mode-view").getText()).isEqualTo(VIEW);
        assertThat(browser.find("#mode-concurrent").isSelected()).isTrue();
        browser.click("#mode-standard");
        browser.find("#mode-statement-timeout").sendKeys("60000");
        browser.find("#mode-lock-timeout").sendKeys("5000");
        browser.screenshot("edit-mode-and-timeouts-dialog");
        audit.check("the edit settings dialog");
        browser.click("#mode-submit");
        browser.gone("#mode-dialog[open]");
        browser.textContains(ROW + " [data-field='mode']", "standard");
        JsonNode edited = api("/api/admin/matviews/" + VIEW);
        assertThat(edited.get("statementTimeoutMs").asLong()).isEqualTo(60000);
        assertThat(edited.get("lockTimeoutMs").asLong()).isEqualTo(5000);

        // Opened again, the dialog shows them; emptied, the view goes back to the library's defaults.
        browser.click(ROW + " button[data-action='mode']");
        browser.visible("#mode-dialog[open]");
        assertThat(browser.find("#mode-statement-timeout").getDomProperty("value")).isEqualTo("60000");
        browser.find("#mode-lock-timeout").clear();
        browser.click("#mode-submit");
        browser.gone("#mode-dialog[open]");
        browser.until("the lock timeout cleared", d -> !api("/api/admin/matviews/" + VIEW).has("lockTimeoutMs"));
        browser.screenshot("mode-standard");
        browser.assertNoConsoleErrors("changing the mode");
    }

    private void createAndRunASchedule() {
        browser.click("nav a[data-nav='schedules']");
        browser.visible("#schedules-table tr[data-schedule='leaderboard_hourly']");
        browser.click("#schedule-open");
        browser.visible("#schedule-dialog[open]");
        browser.find("#schedule-name").sendKeys(SCHEDULE);
        WebElement view = browser.until("views in the schedule's dropdown", d -> {
            WebElement element = browser.find("#schedule-view");
            return element.isEnabled() ? element : null;
        });
        new Select(view).selectByValue(VIEW);
        assertThat(browser.find("#schedule-payload").getDomProperty("value"))
                .isEqualTo("{\"schema\":\"public\",\"view_name\":\"workout_totals\"}");
        WebElement cron = browser.find("#schedule-cron");
        cron.clear();
        cron.sendKeys("* * * * *");
        WebElement zone = browser.find("#schedule-timezone");
        zone.clear();
        zone.sendKeys("Europe/Paris");
        browser.textContains("#schedule-preview-title", "Europe/Paris");
        browser.until("five previewed runs of * * * * *", d -> {
            List<WebElement> runs = browser.findAll("#cron-preview-list li time");
            return runs.size() == 5 && runs.get(0).getDomAttribute("datetime").endsWith(":00Z") ? runs : null;
        });
        browser.screenshot("schedule-create-dialog");
        audit.check("the create schedule dialog");
        browser.click("#schedule-submit");
        browser.gone("#schedule-dialog[open]");

        browser.visible(SCHEDULE_ROW);
        assertThat(browser.find(SCHEDULE_ROW).getText()).contains("* * * * *").contains("Europe/Paris")
                .contains(VIEW).contains("enabled");
        browser.click(SCHEDULE_ROW + " button[data-action='run']");
        browser.textContains("#notice", "Queued a run of " + SCHEDULE);
        String completedJob = "#jobs-table tr[data-state='completed']";
        browser.until("the run's job to complete", d -> browser.findAll(completedJob).stream()
                .anyMatch(row -> row.getText().contains(VIEW) && row.getText().contains(SCHEDULE)));
        browser.screenshot("schedule-run-job-completed");
        audit.check("the schedules and jobs page");
        browser.assertNoConsoleErrors("creating and running a schedule");

        editTheSchedule();

        // Disabled, then deleted: an every-minute schedule would otherwise register the view again later.
        browser.click(SCHEDULE_ROW + " button[data-action='disable']");
        browser.visible(SCHEDULE_ROW + " [data-enabled='false']");
        browser.click(SCHEDULE_ROW + " button[data-action='delete']");
        browser.visible("#confirm-dialog[open]");
        assertThat(browser.find("#confirm-title").getText()).contains(SCHEDULE);
        browser.click("#confirm-submit");
        browser.gone(SCHEDULE_ROW);
        browser.until("no job to be queued or running", d -> browser.findAll(
                "#jobs-table tr[data-state='queued'], #jobs-table tr[data-state='running']").isEmpty());
        browser.screenshot("schedules-after-delete");
        browser.assertNoConsoleErrors("disabling and deleting the schedule");
    }

    /**
     * workout_totals reads nothing the library manages, so its upstream cascade is itself alone; the leaderboard
     * page's dependency lists link to each view. The outcome of every view in the cascade is listed.
     */
    private void refreshItWithItsUpstreamViews() {
        browser.click(ROW + " a[data-field='link']");
        browser.textContains(".page-header h1", VIEW);
        browser.visible("#dependencies #upstream");
        new Select(browser.find("#cascade-direction")).selectByValue("both");
        browser.click(".page-actions button[data-action='refresh-cascade']");
        browser.textContains("#notice", "; it has no related view.");
        assertThat(browser.find("#notice").getText()).startsWith("Refreshed " + VIEW + " in ");
        WebElement outcome = browser.visible("#cascade-table tr[data-view='" + VIEW + "']");
        assertThat(outcome.findElement(By.cssSelector("[data-field='status']")).getText()).isEqualTo("refreshed");
        assertThat(browser.find("#cascade-title").getText()).contains("both");
        assertThat(new Select(browser.find("#cascade-direction")).getFirstSelectedOption().getText())
                .as("the direction chosen stays chosen").isEqualTo("Both");
        browser.screenshot("cascade-refresh-outcome");
        audit.check("a view's page after a cascade refresh");
        browser.assertNoConsoleErrors("a cascade refresh");
    }

    /** Cron, time zone, attempts and payload change in the same dialog, with the same preview. */
    private void editTheSchedule() {
        browser.click(SCHEDULE_ROW + " button[data-action='edit']");
        browser.visible("#schedule-dialog[open]");
        assertThat(browser.find("#schedule-title").getText()).isEqualTo("Edit schedule " + SCHEDULE);
        assertThat(browser.find("#schedule-name").getDomProperty("readOnly")).isEqualTo("true");
        assertThat(browser.find("#schedule-cron").getDomProperty("value")).isEqualTo("* * * * *");
        WebElement cron = browser.find("#schedule-cron");
        cron.clear();
        cron.sendKeys("*/5 * * * *");
        WebElement zone = browser.find("#schedule-timezone");
        zone.clear();
        zone.sendKeys("Asia/Tokyo");
        WebElement attempts = browser.find("#schedule-attempts");
        attempts.clear();
        attempts.sendKeys("5");
        WebElement payload = browser.find("#schedule-payload");
        payload.clear();
        payload.sendKeys("{\"schema\":\"public\",\"view_name\":\"workout_totals\",\"cascade\":\"upstream\"}");
        browser.textContains("#schedule-preview-title", "Asia/Tokyo");
        browser.until("five previewed runs five minutes apart", d -> {
            List<WebElement> runs = browser.findAll("#cron-preview-list li time");
            return runs.size() == 5 && runs.get(0).getDomAttribute("datetime").matches(".*:[0-5][05]:00Z") ? runs : null;
        });
        browser.screenshot("schedule-edit-dialog");
        audit.check("the edit schedule dialog");
        browser.click("#schedule-submit");
        browser.gone("#schedule-dialog[open]");
        browser.textContains("#notice", "Saved schedule " + SCHEDULE);
        browser.textContains(SCHEDULE_ROW, "*/5 * * * *");
        JsonNode saved = api("/api/admin/schedules/" + SCHEDULE);
        assertThat(saved.get("timezone").asText()).isEqualTo("Asia/Tokyo");
        assertThat(saved.get("maxAttempts").asInt()).isEqualTo(5);
        assertThat(saved.at("/payload/cascade").asText()).isEqualTo("upstream");
        browser.screenshot("schedule-edited");
        browser.assertNoConsoleErrors("editing a schedule");
    }

    /**
     * A failed job (written as the runner leaves one) is retried from the list and runs again; a job queued for
     * later is canceled after a confirmation.
     */
    private void retryAFailedJobAndCancelAQueuedOne() throws Exception {
        String failed = java.util.UUID.randomUUID().toString();
        String later = java.util.UUID.randomUUID().toString();
        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO ayb.jobs (id, type, payload, state, run_at, attempts, max_attempts,"
                    + " last_error, created_at, updated_at) VALUES"
                    + " ('" + failed + "', 'materialized_view_refresh', '{\"view_name\": \"leaderboard\"}', 'failed',"
                    + " now(), 3, 3, 'lock timeout', now(), now()),"
                    + " ('" + later + "', 'materialized_view_refresh', '{\"view_name\": \"leaderboard\"}', 'queued',"
                    + " now() + interval '1 day', 0, 3, null, now(), now())");
        }
        String failedRow = "#jobs-table tr[data-job='" + failed + "']";
        String laterRow = "#jobs-table tr[data-job='" + later + "']";
        browser.click("#schedules-reload");
        browser.visible(failedRow + " button[data-action='retry']");
        browser.visible(laterRow + " button[data-action='cancel']");
        browser.screenshot("jobs-retry-and-cancel");
        readAFailedJobsDetails(failed, failedRow);

        browser.click(failedRow + " button[data-action='retry']");
        browser.textContains("#notice", "Queued job " + failed.substring(0, 8) + " again");
        browser.until("the retried job to complete", d -> "completed".equals(attribute(failedRow, "data-state")));

        browser.click(laterRow + " button[data-action='cancel']");
        browser.visible("#confirm-dialog[open]");
        assertThat(browser.find("#confirm-title").getText()).isEqualTo("Cancel job " + later.substring(0, 8) + "?");
        browser.screenshot("job-cancel-confirm");
        audit.check("the cancel job confirmation");
        browser.click("#confirm-submit");
        browser.until("the job canceled", d -> "canceled".equals(attribute(laterRow, "data-state")));
        browser.visible(laterRow + " button[data-action='retry']");
        assertThat(api("/api/admin/jobs/" + later).get("state").asText()).isEqualTo("canceled");
        browser.screenshot("jobs-after-retry-and-cancel");
        audit.check("the jobs after a retry and a cancel");
        browser.assertNoConsoleErrors("retrying and canceling jobs");
        retryACanceledJobFromItsDetails(later, laterRow);
    }

    /** A job's Details dialog shows what GET /api/admin/jobs/{id} answers; Close gives the focus back. */
    private void readAFailedJobsDetails(String failed, String failedRow) {
        browser.click(failedRow + " button[data-action='details']");
        browser.visible("#job-dialog[open]");
        browser.textContains("#job-summary [data-field='state']", "failed");
        assertThat(browser.find("#job-title").getText()).isEqualTo("Job " + failed.substring(0, 8));
        assertThat(browser.find("#job-summary [data-field='id']").getText()).isEqualTo(failed);
        assertThat(browser.find("#job-summary [data-field='type']").getText()).isEqualTo("materialized_view_refresh");
        assertThat(browser.find("#job-summary [data-field='payload'] pre").getText())
                .as("the payload, as pretty JSON").isEqualTo("{\n  \"view_name\": \"leaderboard\"\n}");
        assertThat(browser.find("#job-summary [data-field='attempts']").getText()).isEqualTo("3 of 3");
        assertThat(browser.find("#job-summary [data-field='last-error']").getText()).isEqualTo("lock timeout");
        assertThat(browser.find("#job-summary [data-field='schedule']").getText()).isEqualTo("none (queued directly)");
        assertThat(attribute("#job-summary [data-field='run-at'] time", "datetime"))
                .isEqualTo(api("/api/admin/jobs/" + failed).get("runAt").asText());
        browser.visible("#job-actions button[data-action='retry']");
        assertThat(browser.findAll("#job-actions button[data-action='cancel']")).as("a failed job is not canceled")
                .isEmpty();
        assertThat(browser.script("return document.activeElement.id")).as("Close has the focus").isEqualTo("job-close");
        browser.screenshot("job-details-failed");
        audit.check("the job details dialog");
        browser.click("#job-close");
        browser.gone("#job-dialog[open]");
        assertThat(browser.script("return document.activeElement.dataset.action"))
                .as("the focus is back on Details").isEqualTo("details");
    }

    /** The dialog's Retry is the list's: the job is queued again, and the dialog shows it as it is then. */
    private void retryACanceledJobFromItsDetails(String later, String laterRow) {
        browser.click(laterRow + " button[data-action='details']");
        browser.visible("#job-dialog[open]");
        browser.textContains("#job-summary [data-field='state']", "canceled");
        assertThat(browser.script("return document.querySelector(\"#job-summary [data-field='finished']\")"
                + ".previousElementSibling.textContent")).as("when it was canceled").isEqualTo("Canceled");
        browser.click("#job-actions button[data-action='retry']");
        browser.textContains("#notice", "Queued job " + later.substring(0, 8) + " again");
        browser.until("the dialog to show the job queued again", d ->
                !"canceled".equals(attribute("#job-summary [data-field='state'] .badge", "data-state")));
        assertThat(browser.find("#job-dialog").getDomProperty("open")).isEqualTo("true");
        assertThat(browser.script("return document.getElementById('job-dialog').contains(document.activeElement)"))
                .as("the focus stays in the dialog").isEqualTo(true);
        browser.screenshot("job-details-retried");
        browser.click("#job-close");
        browser.gone("#job-dialog[open]");
        browser.until("the retried job to complete", d -> "completed".equals(attribute(laterRow, "data-state")));
        browser.assertNoConsoleErrors("a job's details");
    }

    private void unregisterIt() throws Exception {
        browser.click("nav a[data-nav='views']");
        browser.visible(ROW);
        browser.click(ROW + " button[data-action='unregister']");
        browser.visible("#confirm-dialog[open]");
        assertThat(browser.find("#confirm-message").getText()).contains("materialized view itself is not dropped");
        assertThat(browser.script("return document.activeElement.textContent")).as("Cancel has the focus")
                .isEqualTo("Cancel");
        browser.screenshot("unregister-confirm");
        audit.check("the unregister confirmation");
        browser.click("#confirm-submit");
        browser.gone(ROW);
        browser.textContains("#notice", "was not dropped");
        browser.screenshot("unregistered");
        browser.assertNoConsoleErrors("unregistering");

        JsonNode discovered = api("/api/admin/matviews/discovered");
        JsonNode workoutTotals = null;
        for (JsonNode item : discovered.get("items")) {
            if (item.get("viewName").asText().equals("workout_totals")) {
                workoutTotals = item;
            }
        }
        assertThat(workoutTotals).as("workout_totals is still in the database").isNotNull();
        assertThat(workoutTotals.get("registered").asBoolean()).isFalse();
        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + VIEW)) {
            assertThat(rows.next()).isTrue();
            assertThat(rows.getLong(1)).as("its rows are still there").isEqualTo(1);
        }
    }

    /**
     * At phone width: tables become cards and nothing scrolls sideways. On the leaderboard's page (refreshed once
     * when the demo started, and given a target lag, which its chart marks) a refresh succeeds, then one fails (a
     * 100 ms lock timeout while its table is locked), so the chart marks a failure and the error can be read in
     * full, and the data is still as of the last successful one.
     */
    private void lookAtItOnANarrowScreen() throws Exception {
        browser.resize(390, 844);
        browser.click("#views-reload");
        WebElement row = browser.visible("#views-table tr[data-view='public.leaderboard']");
        assertThat(browser.script("return getComputedStyle(arguments[0]).display", row)).as("rows become cards")
                .isEqualTo("block");
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-views");
        audit.check("the views list on a narrow screen");

        browser.click("#views-table tr[data-view='public.leaderboard'] a[data-field='link']");
        browser.textContains(".page-header h1", "public.leaderboard");
        browser.visible("#history-chart svg.history-chart");
        int successes = api("/api/admin/matviews/public.leaderboard/history").get("items").findValuesAsText("status")
                .stream().filter("success"::equals).toList().size();
        assertThat(successes).as("the demo's start refreshed it").isPositive();
        assertThat(browser.findAll("#history-chart .chart-point.chart-success")).hasSize(successes);
        assertThat(browser.find("#history-chart .chart-target").getDomAttribute("data-target-lag")).isEqualTo("10000");
        assertThat(browser.find("#view-summary [data-field='target-lag']").getText()).isEqualTo("10.0 s");
        browser.click(".page-actions button[data-action='refresh']");
        browser.until("the refresh on the chart", d ->
                browser.findAll("#history-chart .chart-point.chart-success").size() == successes + 1);
        browser.textContains("#view-summary [data-field='status']", "success");
        String dataAsOf = browser.find("#view-summary [data-field='data-age'] time").getDomAttribute("datetime");
        assertThat(dataAsOf).isEqualTo(api("/api/admin/matviews/public.leaderboard").get("lastSuccessAt").asText());

        api("PATCH", "/api/admin/matviews/public.leaderboard", "{\"lockTimeoutMs\": 100}");
        try (Connection lock = DriverManager.getConnection(demo.databaseUrl())) {
            lock.setAutoCommit(false);
            try (Statement statement = lock.createStatement()) {
                statement.execute("LOCK TABLE public.workouts IN ACCESS EXCLUSIVE MODE");
            }
            browser.click(".page-actions button[data-action='refresh']");
            browser.textContains("#alert", "Refreshing public.leaderboard failed");
            browser.textContains("#view-summary [data-field='status']", "error");
            lock.rollback();
        }
        browser.until("a failure marked on the chart", d ->
                browser.findAll("#history-chart .chart-point.chart-failure").size() == 1);
        assertThat(browser.findAll("#history-chart .chart-point.chart-success")).hasSize(successes + 1);
        assertThat(browser.find("#view-summary [data-field='data-age'] time").getDomAttribute("datetime"))
                .as("a failed refresh leaves the data's age").isEqualTo(dataAsOf);
        assertThat(browser.find("#history-chart svg desc").getDomProperty("textContent")).contains("1 failed");
        WebElement failedRun = browser.find("#runs-table tbody tr");
        assertThat(failedRun.getText()).contains("error");
        failedRun.findElement(By.cssSelector("details.error-text summary")).click();
        assertThat(failedRun.findElement(By.cssSelector("details.error-text pre")).getText()).contains("55P03");
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-view-history-with-failure");
        browser.assertNoConsoleErrors("a failed refresh", failedToLoad(409, "/refresh"), failedToLoad(423, "/refresh"),
                failedToLoad(503, "/refresh"), failedToLoad(500, "/refresh"));

        browser.click("nav a[data-nav='schedules']");
        browser.visible("#schedules-table tr[data-schedule='leaderboard_hourly']");
        browser.visible("#jobs-table");
        assertNoSidewaysScrolling();
        browser.screenshot("narrow-schedules");
        audit.check("the schedules page on a narrow screen");
        browser.assertNoConsoleErrors("a narrow screen");
        browser.resize(1280, 900);
    }

    /**
     * The failed refresh makes the leaderboard unhealthy: the summary above the views table says how many of
     * the views are, lists it with its problem in words and its error, and links to its page.
     */
    private void seeTheFailedLeaderboardInTheHealthSummary() {
        browser.click("nav a[data-nav='views']");
        listLoaded();
        String item = "#health-list li[data-view='public.leaderboard']";
        browser.visible(item);
        JsonNode report = healthReport();
        assertThat(report.get("status").asText()).isEqualTo("unhealthy");
        assertThat(attribute("#health-summary", "data-health")).isEqualTo("unhealthy");
        int views = report.get("views").asInt();
        assertThat(text("#health-summary strong")).isEqualTo(report.get("unhealthy").size() + " of " + views
                + (views == 1 ? " view" : " views") + " unhealthy");
        assertThat(browser.findAll("#health-list li")).hasSize(report.get("unhealthy").size());
        assertThat(attribute(item, "data-problems")).contains("failing");
        assertThat(text(item + " [data-field='problems']")).contains("its last refresh failed");
        assertThat(text(item)).contains("lock timeout");
        assertThat(attribute(item + " a", "href"))
                .endsWith("#/views/" + api("/api/admin/matviews/public.leaderboard").get("id").asText());
        assertThat(browser.find("#views-health").getDomAttribute("aria-live")).as("not a live region").isNull();
        browser.screenshot("views-health-unhealthy");
        audit.check("the views list with an unhealthy view in its health summary");

        browser.click(item + " a");
        browser.textContains(".page-header h1", "public.leaderboard");
        browser.assertNoConsoleErrors("the health summary");
    }

    /**
     * The demo tracks the leaderboard's changes: refreshed, its badge says current and "Refresh if changed" is
     * skipped; a write to a table it reads makes it behind since then, and "Refresh if changed" refreshes it.
     * Its page says tracking is on, lists the tables with their triggers, and shows the skipped run.
     */
    private void seeTheTrackedLeaderboardFallBehindAfterASourceWrite() throws Exception {
        String row = "#views-table tr[data-view='public.leaderboard']";
        String badge = row + " [data-field='freshness'] .badge";
        api("POST", "/api/admin/matviews/public.leaderboard/refresh", null);
        browser.click("nav a[data-nav='views']");
        browser.visible(row);
        assertThat(browser.find(badge).getDomAttribute("data-freshness")).isEqualTo("current");
        assertThat(browser.find(badge).getText()).isEqualTo("current");

        browser.click(row + " button[data-action='refresh-if-changed']");
        browser.textContains("#notice", "Skipped public.leaderboard: no source of the view changed since its last"
                + " refresh");
        listLoaded();
        assertThat(browser.find(badge).getDomAttribute("data-freshness")).isEqualTo("current");
        browser.screenshot("freshness-current-skipped");

        try (Connection connection = DriverManager.getConnection(demo.databaseUrl());
             Statement statement = connection.createStatement()) {
            statement.execute("INSERT INTO workouts (user_id, duration_minutes) VALUES (1, 30)");
        }
        browser.click("#views-reload");
        listLoaded();
        WebElement behind = browser.find(badge);
        String behindSince = api("/api/admin/matviews/public.leaderboard").at("/freshness/behindSince").asText();
        assertThat(behind.getDomAttribute("data-freshness")).isEqualTo("behind");
        assertThat(behind.getText()).startsWith("behind since ");
        assertThat(behind.getDomAttribute("title")).contains(behindSince);
        assertThat(behind.findElement(By.cssSelector("time")).getDomAttribute("datetime")).isEqualTo(behindSince);
        browser.screenshot("freshness-behind");

        browser.click(row + " button[data-action='refresh-if-changed']");
        browser.textContains("#notice", "Refreshed public.leaderboard in ");
        listLoaded();
        assertThat(browser.find(badge).getDomAttribute("data-freshness")).isEqualTo("current");
        browser.gone("#health-list li[data-view='public.leaderboard']");
        JsonNode health = healthReport();
        if (health.get("unhealthy").isEmpty()) {
            int views = health.get("views").asInt();
            browser.textContains("#health-summary", views == 1 ? "The view is healthy" : "All " + views + " views healthy");
            assertThat(attribute("#health-summary", "data-health")).isEqualTo("healthy");
            browser.screenshot("views-health-healthy");
            audit.check("the views list with its health summary, all healthy");
        }

        browser.click(row + " a[data-field='link']");
        browser.textContains(".page-header h1", "public.leaderboard");
        assertThat(browser.find("#view-summary [data-field='change-tracking']").getText()).isEqualTo("on");
        assertThat(browser.find("#view-summary [data-field='freshness'] .badge").getDomAttribute("data-freshness"))
                .isEqualTo("current");
        browser.visible("#sources-table");
        assertThat(browser.findAll("#sources-table tbody tr")).extracting(r -> r.getDomAttribute("data-source"))
                .containsExactlyInAnyOrder("public.users", "public.workouts");
        assertThat(browser.findAll("#sources-table [data-field='trigger']")).allSatisfy(cell ->
                assertThat(cell.getText()).isEqualTo("installed"));
        assertThat(browser.findAll("#sources-table [data-field='capture']")).allSatisfy(cell ->
                assertThat(cell.getText()).isEqualTo("trigger"));
        assertThat(browser.findAll("#runs-table .badge-skipped")).hasSize(1);
        assertThat(browser.find("#history-chart svg desc").getDomProperty("textContent"))
                .as("a skipped run is not a failure").contains("1 failed");
        browser.screenshot("tracked-view-sources");
        audit.check("a tracked view's page");
        browser.assertNoConsoleErrors("a tracked view");
    }

    /**
     * Refreshes made outside this page (another terminal, another instance, a schedule) reach it through the
     * live feed: the view's page gains the run in its history table and chart, and the list its new status
     * and data age, with no click on Reload.
     */
    private void watchRefreshesMadeElsewhereArriveWithoutAReload() {
        browser.until("the live feed to be connected", d -> "live".equals(attribute("#live-status", "data-state")));
        assertThat(browser.find("#live-status").getText()).isEqualTo("Live");
        String newest = attribute("#runs-table tbody tr", "data-run");
        String chart = text("#history-chart svg desc");

        JsonNode refreshed = api("POST", "/api/admin/matviews/public.leaderboard/refresh", null);
        String newestNow = api("/api/admin/matviews/public.leaderboard/history?limit=1").at("/items/0/id").asText();

        browser.until("the new run on the view's page", d ->
                newestNow.equals(attribute("#runs-table tbody tr", "data-run")));
        assertThat(newestNow).isNotEqualTo(newest);
        browser.until("the chart, redrawn", d -> !chart.equals(text("#history-chart svg desc")));
        browser.screenshot("live-history");

        browser.click("nav a[data-nav='views']");
        listLoaded();
        String lastRefresh = "#views-table tr[data-view='public.leaderboard'] [data-field='last-refresh'] time";
        assertThat(attribute(lastRefresh, "datetime")).isEqualTo(refreshed.at("/registration/lastRefreshAt").asText());
        JsonNode again = api("POST", "/api/admin/matviews/public.leaderboard/refresh", null);
        browser.until("the row's new last refresh", d ->
                again.at("/registration/lastRefreshAt").asText().equals(attribute(lastRefresh, "datetime")));
        browser.screenshot("live-list");
        browser.assertNoConsoleErrors("live updates");
    }

    /** An element's attribute read in one step, so a live redraw between finding and reading cannot interfere. */
    private static String attribute(String selector, String name) {
        return (String) browser.script("const e = document.querySelector(arguments[0]);"
                + " return e ? e.getAttribute(arguments[1]) : null;", selector, name);
    }

    private static String text(String selector) {
        return (String) browser.script("const e = document.querySelector(arguments[0]);"
                + " return e ? e.textContent : null;", selector);
    }

    /** The list reloads after every action; it is drawn once it is no longer busy. */
    private void listLoaded() {
        browser.gone("#views-body[aria-busy]");
        browser.visible("#views-table");
    }

    private void assertNoSidewaysScrolling() {
        Number pageWidth = (Number) browser.script("return document.documentElement.scrollWidth");
        Number viewport = (Number) browser.script("return document.documentElement.clientWidth");
        assertThat(pageWidth.intValue()).as("no horizontal scrolling").isLessThanOrEqualTo(viewport.intValue());
    }

    /** GET /api/admin/health, which answers 503 with the same report while a view is unhealthy. */
    private static JsonNode healthReport() {
        Reply reply = new AdminClient(URI.create(base()), TOKEN).send("GET", "/api/admin/health", "application/json",
                BodyPublishers.noBody());
        assertThat(reply.status()).as("GET /api/admin/health -> " + reply.body()).isIn(200, 503);
        return reply.json();
    }

    private static JsonNode api(String path) {
        return api("GET", path, null);
    }

    private static JsonNode api(String method, String path, String body) {
        AdminClient admin = new AdminClient(URI.create(base()), TOKEN);
        Reply reply = admin.send(method, path, "application/json",
                body == null ? BodyPublishers.noBody() : BodyPublishers.ofString(body));
        assertThat(reply.status()).as(method + " " + path + " -> " + reply.body()).isEqualTo(200);
        return reply.json();
    }
}
