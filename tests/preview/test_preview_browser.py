"""The preview in a real browser: Debian's headless Chromium, driven by Selenium through
Debian's chromedriver (the same version as the browser; nothing is downloaded)."""

from __future__ import annotations

import shutil

import pytest
from preview_helpers import DATASET, NEW_MAU, NEW_MAU_ZH, set_value, value_line, visible, wait_for

pytestmark = pytest.mark.slow

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--window-size=1200,900")


@pytest.fixture
def browser(tmp_path, monkeypatch):
    if not (CHROMIUM and CHROMEDRIVER):
        pytest.skip("needs Debian's chromium and chromium-driver (scripts/install-system-deps.sh --test)")
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager never fetches a browser or driver
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={tmp_path / 'chromium-profile'}")
    driver = webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, log_output=str(tmp_path / "driver.log")))
    try:
        yield driver
    finally:
        driver.quit()


def text_of(driver) -> str:
    return visible(driver.execute_script("return document.body.innerText"))


def overlay(driver) -> str | None:
    text = driver.execute_script(
        "var o = document.getElementById('reporting-preview-problems'); return o ? o.innerText : null")
    return None if text is None else visible(text)


def it_refreshes_the_open_page_in_place_and_shows_a_bad_edit_over_it(project, start_preview, browser):
    preview = start_preview(project)
    browser.get(preview.url)
    wait_for(lambda: "超过1亿" in text_of(browser), "the first page")
    wait_for(lambda: browser.execute_script(
        "return document.querySelector('#reporting-preview .status').textContent") == "live", "the event stream")
    # A mark that a reload would wipe, and a scroll position the refresh must keep.
    browser.execute_script("window.notReloaded = true; window.scrollTo(0, 1500);")
    scrolled = browser.execute_script("return window.scrollY")
    assert scrolled > 1000

    dataset = project / DATASET
    good = dataset.read_text(encoding="utf-8")
    set_value(dataset, "mau", NEW_MAU)
    wait_for(lambda: NEW_MAU_ZH.search(text_of(browser)), "the new figure in the open page")
    assert browser.execute_script("return window.notReloaded") is True
    assert browser.execute_script("return window.scrollY") == scrolled
    assert overlay(browser) is None

    set_value(dataset, "mau", "123456789: x")  # a YAML syntax error
    listed = wait_for(lambda: overlay(browser), "the problems overlay")
    line = value_line(dataset, "mau")
    assert f"data/xiaohongshu-2020.yaml:{line}: YAML syntax error: mapping values are not allowed here" in listed
    assert NEW_MAU_ZH.search(text_of(browser))  # the last good page underneath
    assert browser.execute_script("return window.notReloaded") is True

    dataset.write_text(good, encoding="utf-8")
    wait_for(lambda: overlay(browser) is None and "超过1亿" in text_of(browser), "the overlay to go")
    assert browser.execute_script("return window.notReloaded") is True
    errors = [entry for entry in browser.get_log("browser")
              if entry["level"] == "SEVERE" and "favicon.ico" not in entry["message"]]  # a browser's own ask
    assert not errors  # no script error, nothing refused by the Content-Security-Policy


def it_switches_audience_from_the_toolbar(project, start_preview, browser):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.select import Select

    preview = start_preview(project)
    browser.get(preview.url)
    wait_for(lambda: "超过1亿" in text_of(browser), "the first page")
    Select(browser.find_element(By.CSS_SELECTOR, "#reporting-preview select[name=audience]")).select_by_value("press")
    wait_for(lambda: "audience=press" in browser.current_url, "the press page")
    wait_for(lambda: "Xiaohongshu (RED): 2020 in Review" in text_of(browser), "the press page's cover")
    assert "小红书2020年度回顾" not in text_of(browser)  # press reads English
    link = browser.find_element(By.LINK_TEXT, "brief.pdf").get_attribute("href")
    assert link.endswith("/brief.pdf?audience=press")
