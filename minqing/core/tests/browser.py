"""Helpers the browser tests share."""
from playwright.sync_api import Error as PlaywrightError

PHONE_WIDTH = 375


def page_width(page) -> int:
    """The page's scroll width, measured on a loaded document.

    A click that navigates returns before the new document exists; measuring then reads a document that
    is being replaced ("Cannot read properties of null", "Execution context was destroyed"). So wait for the
    load, and measure again if the document was swapped under the measurement."""
    for _attempt in range(5):
        page.wait_for_load_state()
        try:
            width = page.evaluate("document.documentElement ? document.documentElement.scrollWidth : null")
        except PlaywrightError:
            continue
        if width is not None:
            return width
    raise AssertionError(f"the page at {page.url} never settled long enough to be measured")


def fits_phone(page, width: int = PHONE_WIDTH) -> bool:
    """Nothing on the page forces sideways scrolling on a phone screen."""
    return page_width(page) <= width
