"""The HTML edition measured in a browser: the rectangles Chromium laid its text out in,
the size of that text, the width of the page, and axe-core's accessibility rules.

Each function takes a Selenium driver with the page loaded at the width under test and
returns what it found, so a test can say what is wrong (which text, where) when it fails.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

CHROMIUM = shutil.which("chromium")
CHROMEDRIVER = shutil.which("chromedriver")
CHROMIUM_FLAGS = ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--hide-scrollbars", "--force-device-scale-factor=1")

WIDTHS = (390, 768, 1280)
"""A phone, a tablet held upright, a laptop (CSS pixels)."""

FIGURES = ".tile-value, .fig-value > span, .entry-value > span, .event-value, .chart-table td > span"
"""The elements the templates mark as figures: a formatted number with its unit, which a
reader must see on one line."""

BODY_TEXT = ".lead p, .pair p, .summary li p"
"""The brief's running text (leads, paragraphs, talking points)."""


def axe_script() -> Path | None:
    """axe-core's browser script as the test set-up installs it (Makefile: node_modules
    under .venv), or where ``AXE_CORE_JS`` points; ``None`` when it is not installed."""
    named = os.environ.get("AXE_CORE_JS")
    candidates = [Path(named)] if named else []
    root = Path(__file__).resolve().parent.parent
    candidates.append(root / ".venv" / "node_modules" / "axe-core" / "axe.min.js")
    return next((path for path in candidates if path.is_file()), None)


def start_browser(profile: Path):
    """Headless Chromium driven by Debian's chromedriver (Selenium Manager fetches nothing)."""
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    os.environ.setdefault("SE_OFFLINE", "true")
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in CHROMIUM_FLAGS:
        options.add_argument(flag)
    options.add_argument(f"--user-data-dir={profile}")
    return webdriver.Chrome(options=options, service=Service(CHROMEDRIVER, log_output=str(profile) + ".log"))


def load(driver, page: Path, width: int) -> None:
    """``page`` laid out in a viewport ``width`` CSS pixels wide, fonts loaded."""
    driver.set_window_size(width, 900)
    inner = driver.execute_script("return window.innerWidth")
    if inner != width:  # the window's frame: widen the window by its thickness
        driver.set_window_size(2 * width - inner, 900)
    driver.get(page.resolve().as_uri())
    driver.execute_async_script("var done = arguments[0]; document.fonts.ready.then(function () { done(); });")


_TEXT_BOXES = r"""
// Every run of visible text as the rectangles of its lines (Range.getClientRects over
// each text node), with its font size and the element it sits in.
var boxes = [];
var walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
var node, id = 0;
function path(el) {
  var parts = [];
  for (; el && el !== document.body && parts.length < 4; el = el.parentElement) {
    parts.unshift(el.tagName.toLowerCase() + (el.className && typeof el.className === 'string'
      ? '.' + el.className.trim().split(/\s+/).join('.') : ''));
  }
  return parts.join(' > ');
}
while ((node = walker.nextNode())) {
  if (!node.textContent.trim()) continue;
  var el = node.parentElement, style = getComputedStyle(el);
  if (style.visibility !== 'visible' || parseFloat(style.opacity) === 0) continue;
  var range = document.createRange();
  range.selectNodeContents(node);
  var rects = Array.prototype.filter.call(range.getClientRects(), function (r) { return r.width > 0.5 && r.height > 0.5; });
  if (!rects.length) continue;
  id += 1;
  rects.forEach(function (r) {
    boxes.push({node: id, text: node.textContent.trim().slice(0, 40), where: path(el),
                size: parseFloat(style.fontSize), left: r.left + scrollX, top: r.top + scrollY,
                right: r.right + scrollX, bottom: r.bottom + scrollY});
  });
}
return boxes;
"""


def text_boxes(driver) -> list[dict]:
    """Every visible line box of text: ``node`` (which text node), ``text``, ``where``
    (its elements), ``size`` (font size, px) and its rectangle in page pixels."""
    return driver.execute_script(_TEXT_BOXES)


def overlaps(boxes: list[dict], *, slack: float = 0.25) -> list[tuple[dict, dict]]:
    """Pairs of boxes of different text nodes that overlap: by more than 1 px across and
    by more than ``slack`` of the shorter box's height down (a font's box runs a little
    above and below its line, so touching lines are not counted)."""
    found = []
    ordered = sorted(boxes, key=lambda box: box["top"])
    for index, a in enumerate(ordered):
        for b in ordered[index + 1:]:
            if b["top"] >= a["bottom"]:
                break
            if a["node"] == b["node"]:
                continue
            across = min(a["right"], b["right"]) - max(a["left"], b["left"])
            down = min(a["bottom"], b["bottom"]) - max(a["top"], b["top"])
            shorter = min(a["bottom"] - a["top"], b["bottom"] - b["top"])
            if across > 1 and down > slack * shorter:
                found.append((a, b))
    return found


_BROKEN_FIGURES = r"""
// Figures whose text is drawn on more than one line: their glyph rectangles at more than
// one height (a line's own fragments share their top).
var broken = [];
document.querySelectorAll(arguments[0]).forEach(function (el) {
  if (!el.textContent.trim() || !el.getClientRects().length) return;
  var tops = [];
  var walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT), node;
  while ((node = walker.nextNode())) {
    if (!node.textContent.trim() || node.parentElement.closest('sup')) continue;
    var range = document.createRange();
    range.selectNodeContents(node);
    Array.prototype.forEach.call(range.getClientRects(), function (r) {
      if (r.width > 0.5 && tops.every(function (t) { return Math.abs(t - r.bottom) > r.height / 2; })) tops.push(r.bottom);
    });
  }
  if (tops.length > 1) broken.push({text: el.textContent.trim(), lines: tops.length});
});
return broken;
"""


def broken_figures(driver) -> list[dict]:
    """Figures (:data:`FIGURES`) drawn on more than one line: their text and line count."""
    return driver.execute_script(_BROKEN_FIGURES, FIGURES)


def body_text_sizes(driver) -> list[tuple[str, float]]:
    """(text, font size in px) of every visible paragraph of running text (:data:`BODY_TEXT`)."""
    return driver.execute_script(
        "return Array.prototype.filter.call(document.querySelectorAll(arguments[0]), function (el) {"
        "  return el.getClientRects().length && el.textContent.trim(); }).map(function (el) {"
        "  return [el.textContent.trim().slice(0, 40), parseFloat(getComputedStyle(el).fontSize)]; });", BODY_TEXT)


def horizontal_overflow(driver) -> int:
    """How many CSS pixels the page is wider than the viewport (0: no horizontal scrolling)."""
    return driver.execute_script("return document.scrollingElement.scrollWidth - window.innerWidth")


_CHART_TEXT = r"""
// Each chart picture's smallest text as drawn: the SVG's font sizes (user units) times the
// picture's drawn width over the SVG's viewBox width.
var found = [];
var pending = [];
document.querySelectorAll('img.chart-image').forEach(function (img) {
  if (!img.getClientRects().length || getComputedStyle(img).display === 'none') return;
  var svg = atob(img.src.split(',')[1]);
  var doc = new DOMParser().parseFromString(svg, 'image/svg+xml').documentElement;
  var box = (doc.getAttribute('viewBox') || '').split(/[\s,]+/).map(Number);
  var sizes = Array.prototype.map.call(doc.querySelectorAll('text'), function (t) {
    var m = /font-size:\s*([\d.]+)px/.exec(t.getAttribute('style') || '');
    return m ? parseFloat(m[1]) : null; }).filter(function (s) { return s; });
  if (!sizes.length || box.length !== 4) return;
  var scale = img.getBoundingClientRect().width / box[2];
  found.push({chart: img.closest('figure') ? img.closest('figure').id : img.alt.slice(0, 30),
              smallest: Math.min.apply(null, sizes) * scale});
});
return found;
"""


def chart_text(driver) -> list[dict]:
    """Every chart picture on show: its figure's id and its smallest text as drawn (px)."""
    return driver.execute_script(_CHART_TEXT)


def axe_violations(driver, script: Path) -> list[dict]:
    """axe-core's violations of WCAG 2.0/2.1 A and AA and its best practices on the loaded
    page: rule id, impact and up to three of the nodes it names."""
    driver.execute_script(script.read_text(encoding="utf-8"))
    result = driver.execute_async_script(
        "var done = arguments[0];"
        "axe.run(document, {runOnly: {type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', "
        "'best-practice']}, resultTypes: ['violations']})"
        ".then(function (r) { done(r.violations.map(function (v) { return {id: v.id, impact: v.impact,"
        " nodes: v.nodes.length, targets: v.nodes.slice(0, 3).map(function (n) { return n.target.join(' '); })}; })); })"
        ".catch(function (e) { done([{id: 'axe-error', impact: String(e), nodes: 0, targets: []}]); });")
    return result
