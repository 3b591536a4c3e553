package dev.abilitystore.server.dashboard;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.abilitystore.Ability;
import dev.abilitystore.AbilityStore;
import dev.abilitystore.embed.HashingEmbedder;
import dev.abilitystore.lucene.LuceneConfig;
import dev.abilitystore.lucene.LuceneVectorIndex;
import dev.abilitystore.port.RecordStore;
import dev.abilitystore.sample.SampleCatalogue;
import dev.abilitystore.server.ApiServer;
import dev.abilitystore.server.ServerConfig;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;

/**
 * The dashboard end to end: a real server over a store holding the sample catalogue, driven by
 * headless Debian Chromium through its chromedriver (never downloaded: Selenium Manager is not
 * used). Saves {@code target/dashboard.png}.
 */
@Timeout(180)
class DashboardBrowserTest {
  private static final Path CHROMIUM = Path.of(System.getProperty("abilitystore.chromium", "/usr/bin/chromium"));
  private static final Path CHROMEDRIVER =
      Path.of(System.getProperty("abilitystore.chromedriver", "/usr/bin/chromedriver"));
  private static final Path TARGET = Path.of("target");
  private static final int DIMENSION = 64;
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String QUERY = "get a GitHub user's profile";
  private static final String API_KEY = "dashboard-test-key-7f3a9c";

  /** Selenium ships no CDP bindings for every Chromium; this test needs none, so the warning is noise. */
  private static final Logger CDP_VERSION_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

  static {
    CDP_VERSION_LOG.setLevel(Level.SEVERE);
  }

  private final List<Ability> catalogue = SampleCatalogue.load();

  @TempDir Path dataDirectory;
  @TempDir Path profileDirectory;

  private AbilityStore store;
  private ApiServer server;
  private ChromeDriver browser;
  private String testName;

  @BeforeEach
  void start(TestInfo info) {
    testName = info.getTestMethod().orElseThrow().getName();
    HashingEmbedder embedder = new HashingEmbedder(DIMENSION);
    store = AbilityStore.builder()
        .primary(LuceneVectorIndex.open(LuceneConfig.builder(dataDirectory.resolve("index"), DIMENSION)
            .embedderModel(embedder.model()).build()))
        .secondary(RecordStore.disabled())
        .embedder(embedder)
        .dataDirectory(dataDirectory)
        .syncOnStart(false)
        .build();
    store.store(catalogue);
  }

  @AfterEach
  void stop() {
    try {
      if (browser != null) {
        browser.quit();
      }
    } finally {
      try {
        if (server != null) {
          server.close();
        }
      } finally {
        if (store != null) {
          store.close();
        }
      }
    }
  }

  @Test
  void showsTheStoresAndServicesAndFindsAbilitiesByMeaning() throws IOException {
    server = ApiServer.start(store, ServerConfig.defaults().withPort(0));
    browser = startBrowser();
    diagnosed(() -> {
      browser.get(baseUrl());

      // the totals per store and the service chart
      waitFor("the index's total", () -> text("total-primary").equals(String.valueOf(catalogue.size())));
      assertThat(text("primary-status")).isEqualTo("Up");
      assertThat(text("secondary-status")).isEqualTo("Off");
      assertThat(text("total-secondary")).isEqualTo("—");
      Set<String> services = catalogue.stream().map(Ability::serviceName).collect(Collectors.toSet());
      waitFor("the service chart", () -> browser.findElements(By.cssSelector("#services-chart li.bar-row")).size()
          == services.size());
      long githubTotal = catalogue.stream().filter(a -> a.serviceName().equals("github")).count();
      WebElement github = browser.findElement(By.cssSelector("#services-chart li[data-service='github']"));
      assertThat(github.findElement(By.className("bar-value")).getText()).isEqualTo(String.valueOf(githubTotal));
      assertThat(text("services-summary")).startsWith(catalogue.size() + " abilities in " + services.size() + " services");
      assertThat(browser.findElements(By.cssSelector("#search-service option"))).hasSize(services.size() + 1);

      // a search by meaning
      WebElement query = browser.findElement(By.id("search-query"));
      query.sendKeys(QUERY);
      browser.findElement(By.id("search-submit")).click();
      waitFor("search results", () -> !browser.findElements(By.cssSelector("#results li.result")).isEmpty()
          && text("search-meta").contains("took"));
      List<String> found = browser.findElements(By.cssSelector("#results li.result")).stream()
          .map(result -> result.getDomAttribute("data-ability-id")).toList();
      assertThat(found).contains("github-get-user");
      WebElement hit = browser.findElement(By.cssSelector("#results li.result[data-ability-id='github-get-user']"));
      assertThat(hit.findElement(By.className("score")).getText()).matches("\\d+\\.\\d{4}");
      assertThat(hit.findElement(By.className("badge")).getText()).isEqualTo("Public");
      assertThat(hit.findElement(By.className("method")).getText()).isEqualTo("GET");
      assertThat(hit.findElement(By.className("url")).getText()).isEqualTo("https://api.github.com/users/{username}");
      assertThat(hit.findElement(By.className("chip")).getText()).isEqualTo("github");
      assertThat(browser.findElement(By.id("search-degraded")).isDisplayed()).isFalse();
      assertThat(text("search-meta")).contains(found.size() + " results", "hybrid search");

      // the search shows up in the usage analytics at the next refresh of the stats
      waitFor("usage of the search's hits", () -> text("usage-summary").startsWith("1 search")
          && text("usage-rows").contains("github-get-user"));

      // everything the page loaded came from the server itself: no CDN, no web font
      @SuppressWarnings("unchecked")
      List<String> loaded = (List<String>) browser.executeScript(
          "return performance.getEntriesByType('resource').map(r => r.name)");
      assertThat(loaded).isNotEmpty().allSatisfy(url -> assertThat(url).startsWith(baseUrl()));

      Path screenshot = screenshot("dashboard.png");
      assertThat(screenshot).isNotEmptyFile();
      assertThat(severeConsoleMessages()).isEmpty();
    });
  }

  @Test
  void asksForTheApiKeyAndThenShowsTheStats() {
    server = ApiServer.start(store, ServerConfig.defaults().withPort(0).withApiKeys(List.of(API_KEY)));
    browser = startBrowser();
    diagnosed(() -> {
      browser.get(baseUrl());

      waitFor("the API key form", () -> browser.findElement(By.id("auth")).isDisplayed());
      assertThat(text("total-primary")).isEqualTo("—");
      assertThat(browser.switchTo().activeElement().getDomAttribute("id")).isEqualTo("api-key");

      // a wrong key is refused politely and the form stays
      browser.findElement(By.id("api-key")).sendKeys("not-the-key");
      browser.findElement(By.id("auth-submit")).click();
      waitFor("the refusal", () -> browser.findElement(By.id("auth")).isDisplayed()
          && text("auth-message").contains("not accepted"));
      assertThat(text("total-primary")).isEqualTo("—");

      // the right key shows the stats, and is kept for this tab only
      browser.findElement(By.id("api-key")).sendKeys(API_KEY);
      browser.findElement(By.id("auth-submit")).click();
      waitFor("the stats behind the key", () -> text("total-primary").equals(String.valueOf(catalogue.size())));
      waitFor("the service chart behind the key",
          () -> !browser.findElements(By.cssSelector("#services-chart li.bar-row")).isEmpty());
      assertThat(browser.findElement(By.id("auth")).isDisplayed()).isFalse();
      assertThat(browser.executeScript("return sessionStorage.getItem('abilitystore.apiKey')")).isEqualTo(API_KEY);
      assertThat(browser.findElement(By.id("forget-key")).isDisplayed()).isTrue();

      // a reload keeps the key: no question asked
      browser.navigate().refresh();
      waitFor("the stats after a reload", () -> text("total-primary").equals(String.valueOf(catalogue.size())));
      assertThat(browser.findElement(By.id("auth")).isDisplayed()).isFalse();
      screenshot("dashboard-api-key.png");
    });
  }

  // ---------- the browser ----------

  private ChromeDriver startBrowser() {
    List<String> missing = Stream.of(CHROMIUM, CHROMEDRIVER)
        .filter(program -> !Files.isExecutable(program)).map(Path::toString).toList();
    if (!missing.isEmpty()) {
      fail("The dashboard's browser test needs Debian's Chromium and its driver, and " + String.join(" and ", missing)
          + (missing.size() == 1 ? " is" : " are") + " missing. Install them as root with "
          + "`apt-get install -y --no-install-recommends chromium chromium-driver`, or run .ci/run, "
          + "which installs them before the build.");
    }
    // Selenium finds both itself only through Selenium Manager, which would go to the network
    System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
    ChromeOptions options = new ChromeOptions();
    options.setBinary(CHROMIUM.toFile());
    options.addArguments(
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-quic",
        "--no-first-run",
        "--no-default-browser-check",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-extensions",
        "--lang=en-US",
        "--window-size=1400,1000",
        "--user-data-dir=" + profileDirectory.toAbsolutePath());
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(CHROMEDRIVER.toFile())
        .usingAnyFreePort()
        .withLogFile(TARGET.resolve("chromedriver-" + testName + ".log").toFile())
        .build();
    try {
      Files.createDirectories(TARGET);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    ChromeDriver driver = new ChromeDriver(service, options);
    driver.manage().timeouts().pageLoadTimeout(WAIT).scriptTimeout(WAIT);
    return driver;
  }

  private String baseUrl() {
    return "http://127.0.0.1:" + server.port() + "/";
  }

  private String text(String id) {
    return browser.findElement(By.id(id)).getText().strip();
  }

  private void waitFor(String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + WAIT.toNanos();
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try {
        if (condition.getAsBoolean()) {
          return;
        }
        last = null;
      } catch (NoSuchElementException | StaleElementReferenceException e) {
        last = e;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting for " + what, e);
      }
    }
    throw new AssertionError("waited " + WAIT.toSeconds() + " s for " + what + " in vain", last);
  }

  /** Saves a screenshot of the whole page, beyond the window, under target/ and returns its path. */
  private Path screenshot(String name) throws IOException {
    Map<String, Object> metrics = browser.executeCdpCommand("Page.getLayoutMetrics", Map.of());
    Map<?, ?> size = (Map<?, ?>) metrics.get("cssContentSize");
    double width = ((Number) size.get("width")).doubleValue();
    double height = Math.min(((Number) size.get("height")).doubleValue(), 8000);
    Map<String, Object> shot = browser.executeCdpCommand("Page.captureScreenshot", Map.of(
        "format", "png",
        "captureBeyondViewport", true,
        "clip", Map.of("x", 0, "y", 0, "width", width, "height", height, "scale", 1)));
    Path file = TARGET.resolve(name);
    Files.createDirectories(TARGET);
    Files.write(file, Base64.getDecoder().decode((String) shot.get("data")));
    return file;
  }

  private List<String> severeConsoleMessages() {
    return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(entry -> entry.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage)
        .toList();
  }

  private interface Steps {
    void run() throws IOException;
  }

  /** Runs {@code steps}; when they fail, adds what the page showed and logged, and a screenshot. */
  private void diagnosed(Steps steps) {
    try {
      steps.run();
    } catch (AssertionError | RuntimeException | IOException e) {
      StringBuilder report = new StringBuilder(testName).append(" failed: ").append(e.getMessage());
      try {
        Path shot = screenshot("dashboard-failure-" + testName + ".png");
        report.append("\nscreenshot: ").append(shot.toAbsolutePath());
        report.append("\npage text:\n").append(browser.findElement(By.tagName("body")).getText());
        report.append("\nbrowser console:");
        for (LogEntry entry : browser.manage().logs().get(LogType.BROWSER).getAll()) {
          report.append("\n  ").append(entry.getLevel()).append(' ').append(entry.getMessage());
        }
      } catch (IOException | WebDriverException ignored) {
        report.append("\n(the browser could not be inspected: ").append(ignored.getMessage()).append(')');
      }
      throw new AssertionError(report.toString(), e);
    }
  }
}
