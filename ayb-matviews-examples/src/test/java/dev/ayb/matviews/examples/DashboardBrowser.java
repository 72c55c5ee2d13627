package dev.ayb.matviews.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.ayb.matviews.testkit.RequiredTool;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.openqa.selenium.By;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's headless Chromium driven through Debian's ChromeDriver: both paths are given explicitly, so
 * Selenium Manager is never asked to find or download anything. Takes numbered screenshots and reads the
 * browser console, which must stay free of errors.
 */
final class DashboardBrowser implements AutoCloseable {
    static final Duration WAIT = Duration.ofSeconds(30);
    /**
     * Selenium's own log, kept to errors: it warns at every start that it has no DevTools (CDP) support for this
     * Chromium, which is on purpose (only the Chrome driver is on the class path, and the test needs no CDP).
     * Held here so the setting is not garbage-collected with the logger.
     */
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");

    /**
     * The health route answers 503, with its report, while any view is unhealthy, and the views page reads it at
     * every reload: an answer the dashboard shows, whatever step the walk is at, not an error.
     */
    private static final Pattern UNHEALTHY = Pattern.compile(
            "/api/admin/health .*Failed to load resource: the server responded with a status of 503");

    private final ChromeDriver driver;
    private final Path userDataDir;
    private final Path screenshots;
    private final WebDriverWait wait;
    private int shots;

    private DashboardBrowser(ChromeDriver driver, Path userDataDir, Path screenshots) {
        this.driver = driver;
        this.userDataDir = userDataDir;
        this.screenshots = screenshots;
        // A live update redraws rows under a condition that is reading them: it then asks again.
        this.wait = new WebDriverWait(driver, WAIT, Duration.ofMillis(100));
        this.wait.ignoring(StaleElementReferenceException.class);
    }

    /** Chromium, from the PATH (Debian's {@code chromium}). */
    static RequiredTool chromium() {
        return new RequiredTool("chromium", onPath("chromium"), "apt-get update && apt-get install -y chromium");
    }

    /** ChromeDriver, from the PATH (Debian's {@code chromium-driver}). */
    static RequiredTool chromedriver() {
        return new RequiredTool("chromedriver", onPath("chromedriver"),
                "apt-get update && apt-get install -y chromium-driver");
    }

    /** The first executable of that name on the PATH; when there is none, a path that is not one. */
    private static Path onPath(String command) {
        String path = System.getenv().getOrDefault("PATH", "");
        return Stream.of(path.split(File.pathSeparator)).filter(directory -> !directory.isEmpty())
                .map(directory -> Path.of(directory, command))
                .filter(candidate -> Files.isRegularFile(candidate) && Files.isExecutable(candidate))
                .findFirst().orElse(Path.of(command + " (not on the PATH)"));
    }

    static DashboardBrowser start(Path chromium, Path chromedriver, Path screenshots) throws IOException {
        SELENIUM_LOG.setLevel(Level.SEVERE);
        // Both set explicitly: with them Selenium never runs Selenium Manager, which would try to download.
        System.setProperty("webdriver.chrome.driver", chromedriver.toString());
        Path userDataDir = Files.createTempDirectory("ayb-dashboard-chromium-");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--user-data-dir=" + userDataDir, "--window-size=1280,900", "--lang=en-US");
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        Files.createDirectories(screenshots);
        try (Stream<Path> old = Files.list(screenshots)) {
            for (Path file : old.filter(file -> file.toString().endsWith(".png")).toList()) {
                Files.delete(file);
            }
        }
        return new DashboardBrowser(new ChromeDriver(options), userDataDir, screenshots);
    }

    WebDriver driver() {
        return driver;
    }

    void open(String url) {
        driver.get(url);
    }

    WebElement find(String css) {
        return driver.findElement(By.cssSelector(css));
    }

    List<WebElement> findAll(String css) {
        return driver.findElements(By.cssSelector(css));
    }

    /** Waits for the condition to answer something other than null or false. */
    <T> T until(String what, Function<WebDriver, T> condition) {
        return wait.withMessage(what).until(condition);
    }

    /** The first element matching the selector once it is displayed. */
    WebElement visible(String css) {
        return until(css + " to be visible", d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            return found.isEmpty() || !found.get(0).isDisplayed() ? null : found.get(0);
        });
    }

    /**
     * The first element matching the selector once it is enabled and displayed, clicked. A live update may draw
     * the element again between finding and clicking it: then the new one is found and clicked.
     */
    void click(String css) {
        until(css + " to be clickable", d -> {
            try {
                List<WebElement> found = d.findElements(By.cssSelector(css));
                if (found.isEmpty() || !found.get(0).isDisplayed() || !found.get(0).isEnabled()) {
                    return null;
                }
                found.get(0).click();
                return true;
            } catch (StaleElementReferenceException e) {
                return null;
            }
        });
    }

    void gone(String css) {
        until(css + " to disappear", d -> d.findElements(By.cssSelector(css)).isEmpty());
    }

    /** Waits until the element's text contains the fragment; answers the whole text. */
    String textContains(String css, String fragment) {
        return until("'" + fragment + "' in " + css, d -> {
            List<WebElement> found = d.findElements(By.cssSelector(css));
            String text = found.isEmpty() ? "" : found.get(0).getText();
            return text.contains(fragment) ? text : null;
        });
    }

    Object script(String script, Object... arguments) {
        return ((JavascriptExecutor) driver).executeScript(script, arguments);
    }

    /** A script that answers by calling its last argument, e.g. when a promise settles; waits up to WAIT. */
    Object asyncScript(String script, Object... arguments) {
        driver.manage().timeouts().scriptTimeout(WAIT);
        return ((JavascriptExecutor) driver).executeAsyncScript(script, arguments);
    }

    void resize(int width, int height) {
        driver.manage().window().setSize(new Dimension(width, height));
    }

    /** Saves target/dashboard-screenshots/NN-name.png, numbered in the order taken. */
    Path screenshot(String name) {
        Path file = screenshots.resolve(String.format("%02d-%s.png", ++shots, name));
        try {
            Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
    }

    /**
     * Reads the console since the last call and fails on any SEVERE entry that none of the patterns allows.
     * A fetch answered 4xx is logged by Chromium itself as "Failed to load resource"; a step that provokes
     * one on purpose (a wrong token, a conflicting refresh) names it, and every other one but {@link #UNHEALTHY}
     * is a failure.
     */
    List<LogEntry> assertNoConsoleErrors(String step, Pattern... allowed) {
        List<LogEntry> entries = driver.manage().logs().get(LogType.BROWSER).getAll();
        List<String> severe = entries.stream()
                .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(message -> !UNHEALTHY.matcher(message).find())
                .filter(message -> Stream.of(allowed).noneMatch(pattern -> pattern.matcher(message).find()))
                .toList();
        assertThat(severe).as("browser console errors during: " + step).isEmpty();
        return entries;
    }

    @Override
    public void close() {
        try {
            driver.quit();
        } finally {
            deleteQuietly(userDataDir);
        }
    }

    private static void deleteQuietly(Path directory) {
        try (Stream<Path> files = Files.walk(directory)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            System.err.println("Could not delete " + directory + ": " + e.getMessage());
        }
    }
}
