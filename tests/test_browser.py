"""The web page in a real headless Chromium (Debian's package), driven by selenium over loopback."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bot.channels.http import create_app
from tests.conftest import make_settings
from tests.live_server import live_server

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMEDRIVER = shutil.which("chromedriver") or "/usr/bin/chromedriver"
if not (Path(CHROMIUM).exists() and Path(CHROMEDRIVER).exists()):
    pytest.skip("needs Debian's chromium and chromium-driver (.ci/run installs them)", allow_module_level=True)

from selenium import webdriver  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as ec  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

SHANGHAI_Q = "上海元宇宙产业规模目标是多少？"


@pytest.fixture(scope="module")
def base(engine: Any, engine_home: Path) -> Iterator[str]:
    with live_server(create_app(make_settings(engine_home), engine)) as url:
        yield url


@pytest.fixture
def browser(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[webdriver.Chrome]:
    monkeypatch.setenv("SE_OFFLINE", "true")  # selenium must never try to download a driver or browser
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-quic",
        "--no-first-run",
        "--window-size=1200,900",
        f"--user-data-dir={tmp_path / 'chromium-profile'}",
    ):
        options.add_argument(arg)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    try:
        yield driver
    finally:
        driver.quit()


def ask(driver: webdriver.Chrome, question: str, turns: int) -> Any:
    box = driver.find_element(By.ID, "question")
    box.clear()
    box.send_keys(question)
    driver.find_element(By.ID, "ask").click()
    wait = WebDriverWait(driver, 30)
    wait.until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".turn .bot:not(.pending)")) >= turns)
    return driver.find_elements(By.CSS_SELECTOR, ".turn .bot")[turns - 1]


def test_ask_click_marker_see_quote_and_keep_the_conversation(browser: webdriver.Chrome, base: str, engine: Any) -> None:
    expected = engine.answer(SHANGHAI_Q, "browser-check")
    quote, source = expected.citations[0].quote, expected.citations[0].source
    browser.get(base + "/")
    assert "PolicyBot" in browser.title

    first = ask(browser, SHANGHAI_Q, 1)
    assert "3500亿元" in first.find_element(By.CSS_SELECTOR, ".answer").text
    marker = first.find_element(By.CSS_SELECTOR, 'button.cite[data-n="1"]')
    assert marker.text == "[1]"
    marker.click()
    panel = WebDriverWait(browser, 10).until(ec.visibility_of_element_located((By.CSS_SELECTOR, ".quote blockquote")))
    assert panel.text == quote
    assert source in first.find_element(By.CSS_SELECTOR, ".quote .src").text
    assert marker.get_attribute("aria-expanded") == "true"

    second = ask(browser, "那南京呢？", 2)
    assert "1350亿元" in second.find_element(By.CSS_SELECTOR, ".answer").text
    session = browser.execute_script("return localStorage.getItem('policybot.session')")
    assert session and session.startswith("web-")

    browser.refresh()  # the conversation is kept per browser
    WebDriverWait(browser, 10).until(lambda d: len(d.find_elements(By.CSS_SELECTOR, ".turn")) == 2)
    assert browser.execute_script("return localStorage.getItem('policybot.session')") == session
    third = ask(browser, "那武汉呢？", 3)
    assert "武汉" in third.text

    severe = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
    assert not severe, severe


def test_everything_is_escaped_and_bad_input_is_polite(browser: webdriver.Chrome, base: str) -> None:
    browser.get(base + "/")
    attack = "<img src=x onerror=\"document.title='owned'\"> <b>粗体</b> &amp;"
    reply = ask(browser, attack, 1)
    you = browser.find_element(By.CSS_SELECTOR, ".turn .you")
    assert you.text == attack
    assert not browser.find_elements(By.CSS_SELECTOR, "#log img, #log b")
    assert browser.title != "owned" and reply.text.strip()

    box = browser.find_element(By.ID, "question")
    box.send_keys("   ")
    browser.find_element(By.ID, "ask").click()
    assert "请输入" in browser.find_element(By.ID, "status").text
    assert int(box.get_attribute("maxlength")) == 500

    browser.find_element(By.ID, "new-chat").click()
    WebDriverWait(browser, 10).until(lambda d: not d.find_elements(By.CSS_SELECTOR, ".turn"))
    assert browser.execute_script("return localStorage.getItem('policybot.log')") is None
