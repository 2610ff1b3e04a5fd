package dev.millrace.stack;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.millrace.json.Json;
import dev.millrace.services.http.Health;
import dev.millrace.stack.demo.Demo;
import java.io.File;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (headless Chromium) against the whole stack with the demo race
 * and WIS2 node: the leaderboard and the cache's counters move, an audit record posted during the
 * test shows up with its final state and can be looked up, every view is keyboard-reachable and
 * fits a phone's width, the event stream ends when the stack stops, and the browser logs no error.
 * Screenshots of each view at 1280×800 go to {@code target/screenshots/}.
 */
class DashboardIT {
    private static final String KEY = "dashboard-it-key";
    private static final Duration WAIT = Duration.ofSeconds(90);

    /** Long enough for the demo's cars to drive a lap of its 5.1 km track. */
    private static final Duration LAP = Duration.ofMinutes(3);

    private static final Path SCREENSHOTS = Path.of("target", "screenshots");

    @TempDir Path dataDir;
    @TempDir Path profile;

    @Test
    void showsEveryPipelineLiveInABrowser() throws Exception {
        LocalStackSettings settings =
                LocalStackSettings.onFreePorts(
                        dataDir, Map.of("audit.api-keys", "dashboard-it:" + KEY), Map.of());
        ChromeDriver browser = browser();
        try {
            LocalStack stack = LocalStack.start(settings);
            try (Demo demo = Demo.start(stack)) {
                assertThat(stack.awaitHealthy(Duration.ofMinutes(2)).values())
                        .allMatch(Health.Status::up);
                viewport(browser, 1280, 800);
                browser.get(settings.httpUrl() + "/");
                await(browser).until(b -> text(b, "connection").equals("Live"));

                race(browser);
                wis2(browser);
                audit(browser, settings);
                pipeline(browser);
                laps(browser);
                phone(browser);
            } finally {
                long t0 = System.nanoTime();
                stack.close();
                System.out.printf(
                        "DashboardIT: the stack stopped in %d ms with a stream open%n",
                        (System.nanoTime() - t0) / 1_000_000);
            }
            // The stream ended with the stack: the page says so and tries again.
            await(browser).until(b -> text(b, "connection").equals("Reconnecting…"));
            List<LogEntry> errors =
                    browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                            .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                            // Reconnecting to a stopped stack is expected to fail.
                            .filter(e -> !e.getMessage().contains("/dashboard/events"))
                            .toList();
            assertThat(errors).as("browser console errors").isEmpty();
        } finally {
            browser.quit();
        }
    }

    private void race(ChromeDriver browser) throws Exception {
        await(browser)
                .until(
                        b ->
                                b.findElements(By.cssSelector("#leaderboard tbody tr")).size()
                                                == Demo.CARS
                                        && speeds(b).stream().allMatch(s -> s.endsWith(" mph")));
        List<String> before = speeds(browser);
        await(browser).until(b -> !speeds(b).equals(before));
        await(browser)
                .until(
                        b ->
                                b.findElements(By.cssSelector("#track-cars g.car")).size()
                                                == Demo.CARS
                                        && b.findElement(By.id("track-line"))
                                                        .getAttribute("d")
                                                        .split("L")
                                                        .length
                                                > 20);
        assertThat(browser.findElement(By.id("tab-race")).getAttribute("aria-selected"))
                .isEqualTo("true");
    }

    /** A lap later, the track is traced round and the leaderboard has lap times. */
    private void laps(ChromeDriver browser) throws Exception {
        browser.findElement(By.id("tab-race")).click();
        new WebDriverWait(browser, LAP)
                .ignoring(StaleElementReferenceException.class)
                .until(
                        b ->
                                b.findElement(By.id("track-line")).getAttribute("d").endsWith("Z")
                                        && text(b, "race-events").contains("completed lap")
                                        && text(b, "leaderboard")
                                                .matches("(?s).*mph \\d+ \\d+:\\d{2}\\.\\d{3}.*"));
        screenshot(browser, "race");
    }

    private void wis2(ChromeDriver browser) throws Exception {
        browser.findElement(By.id("tab-wis2")).click();
        assertThat(browser.findElement(By.id("view-wis2")).isDisplayed()).isTrue();
        assertThat(browser.findElement(By.id("view-race")).isDisplayed()).isFalse();
        await(browser).until(b -> number(b, "wis2-downloaded") > 0);
        long downloaded = number(browser, "wis2-downloaded");
        await(browser).until(b -> number(b, "wis2-downloaded") > downloaded);
        await(browser)
                .until(
                        b ->
                                b.findElements(By.cssSelector("#wis2-notifications a")).stream()
                                        .anyMatch(
                                                a ->
                                                        a.getAttribute("href")
                                                                .contains("/wis2/cache/")));
        assertThat(text(browser, "wis2-centres")).contains("xx-millrace-demo");
        screenshot(browser, "wis2");
    }

    private void audit(ChromeDriver browser, LocalStackSettings settings) throws Exception {
        String messageId = post(settings);
        browser.findElement(By.id("tab-audit")).click();
        By row = By.cssSelector("#audit-messages tr[data-message-id='" + messageId + "']");
        await(browser)
                .until(
                        b ->
                                !b.findElements(row).isEmpty()
                                        && b.findElement(row)
                                                .getText()
                                                .matches(
                                                        ".*PaymentTest.*dashboard-test.*Archived.*"));
        await(browser)
                .until(b -> number(b, "audit-final") >= 1 && number(b, "audit-archived") >= 1);

        browser.findElement(By.id("lookup-id")).sendKeys(messageId);
        browser.findElement(By.id("lookup-key")).sendKeys(KEY, Keys.ENTER);
        await(browser)
                .until(
                        b ->
                                b.findElement(By.id("lookup-result"))
                                        .getText()
                                        .contains("S3Reference"));
        assertThat(text(browser, "lookup-result")).contains(messageId);
        assertThat(text(browser, "lookup-status")).isEqualTo("Found " + messageId + ".");
        screenshot(browser, "audit");
    }

    private void pipeline(ChromeDriver browser) throws Exception {
        // By keyboard, as the tabs pattern asks: the arrow key moves to the next tab and shows it.
        WebElement audit = browser.findElement(By.id("tab-audit"));
        audit.sendKeys(Keys.ARROW_RIGHT);
        WebElement pipeline = browser.findElement(By.id("tab-pipeline"));
        assertThat(pipeline.getAttribute("aria-selected")).isEqualTo("true");
        assertThat(browser.switchTo().activeElement()).isEqualTo(pipeline);
        assertThat(browser.findElement(By.id("view-pipeline")).isDisplayed()).isTrue();
        await(browser)
                .until(
                        b ->
                                text(b, "health").contains("telemetry")
                                        && !b.findElements(By.cssSelector("#groups tbody tr"))
                                                .isEmpty()
                                        && b.findElements(By.cssSelector("#topics tbody tr")).size()
                                                > 5);
        assertThat(text(browser, "health")).doesNotContain("DOWN");
        assertThat(text(browser, "engines")).contains("telemetry", "Kafka Streams");
        assertThat(text(browser, "dead-letters")).contains("wis2", "audit");
        screenshot(browser, "pipeline");
    }

    /** At a phone's width nothing is wider than the screen. */
    private void phone(ChromeDriver browser) throws Exception {
        viewport(browser, 390, 844);
        for (String view : List.of("race", "wis2", "audit", "pipeline")) {
            browser.findElement(By.id("tab-" + view)).click();
            Object overflow =
                    browser.executeScript(
                            "return document.documentElement.scrollWidth - window.innerWidth;");
            assertThat(((Number) overflow).intValue())
                    .as(view + " at 390 px")
                    .isLessThanOrEqualTo(0);
        }
        browser.findElement(By.id("tab-race")).click();
        screenshot(browser, "race-phone");
        viewport(browser, 1280, 800);
    }

    private static String post(LocalStackSettings settings) throws Exception {
        String body =
                """
                {"messageMetaData": {"messageType": "PaymentTest", "sourceSystemID": "dashboard-test",
                 "sourceTransactionID": "%s", "dateTime": "2026-11-23T10:15:30Z"},
                 "messagePayload": {"amount": 12.5}}
                """
                        .formatted(UUID.randomUUID());
        HttpResponse<String> response =
                HttpClient.newHttpClient()
                        .send(
                                HttpRequest.newBuilder(
                                                URI.create(settings.httpUrl() + "/v1/messages"))
                                        .header("x-api-key", KEY)
                                        .header("Content-Type", "application/json")
                                        .POST(HttpRequest.BodyPublishers.ofString(body))
                                        .build(),
                                HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(202);
        JsonNode accepted = Json.mapper().readTree(response.body());
        return accepted.path("messageID").asText();
    }

    private ChromeDriver browser() {
        ChromeOptions options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service =
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File("/usr/bin/chromedriver"))
                        .usingAnyFreePort()
                        .build();
        return new ChromeDriver(service, options);
    }

    private static void viewport(ChromeDriver browser, int width, int height) {
        browser.executeCdpCommand(
                "Emulation.setDeviceMetricsOverride",
                Map.of(
                        "width",
                        width,
                        "height",
                        height,
                        "deviceScaleFactor",
                        1,
                        "mobile",
                        width < 600));
    }

    private static void screenshot(ChromeDriver browser, String name) throws Exception {
        Files.createDirectories(SCREENSHOTS);
        File shot = browser.getScreenshotAs(OutputType.FILE);
        Files.copy(
                shot.toPath(),
                SCREENSHOTS.resolve(name + ".png"),
                StandardCopyOption.REPLACE_EXISTING);
    }

    private static WebDriverWait await(WebDriver browser) {
        // The page redraws its rows with each snapshot: an element found may be gone a moment
        // later.
        return (WebDriverWait)
                new WebDriverWait(browser, WAIT).ignoring(StaleElementReferenceException.class);
    }

    private static String text(WebDriver browser, String id) {
        return browser.findElement(By.id(id)).getText();
    }

    private static long number(WebDriver browser, String id) {
        String digits = text(browser, id).replaceAll("[^0-9]", "");
        return digits.isEmpty() ? -1 : Long.parseLong(digits);
    }

    /** The speeds on the leaderboard, read at once: the rows are redrawn every second. */
    @SuppressWarnings("unchecked")
    private static List<String> speeds(WebDriver browser) {
        return (List<String>)
                ((JavascriptExecutor) browser)
                        .executeScript(
                                "return Array.from(document.querySelectorAll("
                                        + "'#leaderboard tbody td.speed'), td => td.textContent);");
    }
}
