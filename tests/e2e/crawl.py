"""Walk the pages a person can reach and read what they show.

``crawl(person, start)`` opens ``start`` and follows, breadth first, every link on the
site (menu, workbench cards, tabs, filters, a list's rows, a detail page's actions),
GET only, up to ``depth`` clicks away. Pages of one shape are opened once: numbers in
the path and in the query are one shape ("/suggestions/7/" and "/suggestions/9/"),
so a list's first row stands for all its rows. Logging out, downloads, the admin, the
API and the language switch are left alone.

``visible_text(page)`` is what a reader sees: the text of the rendered elements (and
the choices of each visible select, the placeholders and button values), without
what people typed (marked ``data-user-text`` or ``user-text`` in the templates).

``english_words(text)`` finds the words of three Latin letters or more, bar the
names a Chinese page may use as they are.
"""

import re
from collections import deque
from urllib.parse import parse_qsl, urlencode, urlsplit

# File formats are named as they are, in any language (PDF, JPEG, PNG, .xlsx).
ALLOWED_WORDS = frozenset({"PDF", "JPEG", "PNG", "Word", "Excel", "API", "xlsx"})
WORD = re.compile(r"[A-Za-z]{3,}")

SKIPPED_PATHS = (
    "/accounts/logout",
    "/admin/",
    "/api/",
    "/i18n/",
    "/static/",
    "/media/",
    "/healthz",
)
# Links that answer with a file instead of a page.
DOWNLOAD = re.compile(r"(/download|/export|/letter/|\.(xlsx|docx|pdf|csv|zip)$)")

_TEXT = """
() => {
  // What people typed, and names marked as in another language (lang="en").
  const skip = "[data-user-text], .user-text, [lang]:not([lang|=zh]), script, style, noscript, template";
  const parts = [];
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    const node = walker.currentNode;
    const parent = node.parentElement;
    if (!parent || parent.closest(skip) || parent.closest("select")) continue;
    if (!parent.checkVisibility({checkOpacity: false, checkVisibilityCSS: true})) {
      // Text for screen readers only is read too.
      if (!parent.closest(".visually-hidden, .sr-only")) continue;
    }
    const text = node.textContent.trim();
    if (text) parts.push(text);
  }
  for (const element of document.body.querySelectorAll(
      "select, input[placeholder], textarea[placeholder], input[type=submit], input[type=button]")) {
    if (element.closest(skip) || !element.checkVisibility()) continue;
    if (element.tagName === "SELECT") {
      for (const option of element.options) {
        if (!option.matches(skip)) parts.push(option.text);
      }
    } else if (element.placeholder) {
      parts.push(element.placeholder);
    } else if (element.value) {
      parts.push(element.value);
    }
  }
  for (const element of document.body.querySelectorAll("[title], [aria-label]")) {
    if (element.closest(skip)) continue;
    for (const name of ["title", "aria-label"]) {
      const value = element.getAttribute(name);
      if (value) parts.push(value);
    }
  }
  return parts.join("\\n") + "\\n" + document.title;
}
"""

_LINKS = """
() => Array.from(document.querySelectorAll("a[href]"))
  .filter(a => !a.hasAttribute("download"))
  .map(a => a.getAttribute("href"))
"""


def visible_text(page) -> str:
    return page.evaluate(_TEXT)


def english_words(text: str) -> list[str]:
    return sorted({w for w in WORD.findall(text) if w not in ALLOWED_WORDS})


def shape(path_and_query: str) -> str:
    """The page's shape: the path and query with every number replaced."""
    parts = urlsplit(path_and_query)
    path = re.sub(r"\d+", "N", parts.path)
    query = sorted(
        (key, re.sub(r"\d+", "N", value))
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
    )
    return path + ("?" + urlencode(query) if query else "")


def _local(href: str, base_url: str) -> str | None:
    """The link as a path and query on the site, or None for one to leave alone."""
    if not href or href.startswith(("#", "mailto:", "tel:", "javascript:")):
        return None
    parts = urlsplit(href)
    if parts.scheme or parts.netloc:
        if not href.startswith(base_url + "/"):
            return None
        parts = urlsplit(href[len(base_url) :])
    if not parts.path.startswith("/"):
        return None
    if parts.path.startswith(SKIPPED_PATHS) or DOWNLOAD.search(parts.path):
        return None
    if "format=" in parts.query or "download" in parts.query:
        return None
    return parts.path + (f"?{parts.query}" if parts.query else "")


def crawl(
    person, start: str, *, depth: int = 3, limit: int = 60, variants: int = 6
) -> dict[str, str]:
    """The visible text of each page reached from ``start``, by path and query: at
    most ``limit`` pages, at most ``variants`` queries (tabs, filters) of one path."""
    base_url = person.stage.base_url
    seen = {shape(start)}
    queries: dict[str, int] = {}
    queue = deque([(start, 0)])
    texts: dict[str, str] = {}
    while queue and len(texts) < limit:
        path, level = queue.popleft()
        response = person.page.goto(path)
        if response is None or response.status >= 400:
            texts[path] = f"HTTP {response.status if response else 'none'}"
            continue
        if urlsplit(person.page.url).path.startswith("/accounts/login"):
            continue  # a page this person may not open sends to the login page
        texts[path] = visible_text(person.page)
        if level >= depth:
            continue
        for href in person.page.evaluate(_LINKS):
            local = _local(href, base_url)
            if local is None or shape(local) in seen:
                continue
            path_shape = shape(local.split("?")[0])
            if "?" in local:
                if queries.get(path_shape, 0) >= variants:
                    continue
                queries[path_shape] = queries.get(path_shape, 0) + 1
            seen.add(shape(local))
            queue.append((local, level + 1))
    return texts
