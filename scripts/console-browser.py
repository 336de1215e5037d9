#!/usr/bin/env python3
"""The admin console as a person uses it, in headless Chromium (selenium + chromedriver):
sign in, read the activity, follow a sync to its diff, preview and apply its rollback, find a
user, take a snapshot, compare, look at the guard, on a laptop's width and a phone's, and
sign out. Checks what is shown on screen (visible text), and writes a screenshot of every
page to OUT.

usage: console-browser.py ORIGIN ADMIN_TOKEN OUT
"""
import os
import sys

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import WebDriverWait

origin, token, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
failures = []


def check(condition, what):
    print(("ok   " if condition else "FAIL ") + what)
    if not condition:
        failures.append(what)


options = webdriver.ChromeOptions()
for argument in ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1200,900"]:
    options.add_argument(argument)
binary = next((b for b in ["/usr/bin/chromium", "/usr/bin/chromium-browser"] if os.path.exists(b)), None)
if binary:
    options.binary_location = binary
driver_path = next((d for d in ["/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver"] if os.path.exists(d)), None)
browser = webdriver.Chrome(options=options, service=Service(driver_path) if driver_path else None)
browser.set_page_load_timeout(30)


def shot(name):
    # The whole page, as tall as it is.
    height = browser.execute_script("return document.documentElement.scrollHeight")
    width = browser.execute_script("return window.innerWidth")
    browser.set_window_size(max(width, 390), min(max(height + 120, 500), 2400))
    browser.save_screenshot(os.path.join(out, name + ".png"))
    browser.set_window_size(1200, 900)


def text():
    return browser.find_element(By.TAG_NAME, "body").text


def wait_for_title(words):
    """A form's POST answers 303; wait until the page it leads to is shown."""
    try:
        WebDriverWait(browser, 15).until(lambda b: words in b.title)
    except Exception:
        pass


try:
    browser.get(origin + "/admin/")
    check(browser.current_url.endswith("/admin/sign-in"), "signed out, /admin/ leads to the sign-in page")
    shot("sign-in")
    browser.find_element(By.NAME, "token").send_keys("not-a-token")
    browser.find_element(By.TAG_NAME, "form").submit()
    WebDriverWait(browser, 15).until(lambda b: "not an admin token" in text())
    check("not an admin token" in text(), "a wrong token is refused, in words")
    browser.find_element(By.NAME, "token").send_keys(token)
    browser.find_element(By.CSS_SELECTOR, "main form").submit()
    wait_for_title("Activity")
    check(browser.current_url.endswith("/admin/activity"), "signed in, the activity page")
    check("deactivated 3 users" in text() and "okta" in text() and "entra" in text(), "each sync is listed in words")
    shot("activity")

    link = next(a for a in browser.find_elements(By.CSS_SELECTOR, "tbody a") if a.text.startswith("sync-")
                and "okta" in a.find_element(By.XPATH, "../..").text)
    sync_id = link.text
    link.click()
    body = text()
    check(sync_id in browser.title and "grace@example.com" in body and "active: true → false" in body, "the sync's diff shows what it changed")
    check("− member grace@example.com" in body, "and the member it removed")
    shot("sync")

    browser.find_element(By.PARTIAL_LINK_TEXT, "Preview rolling back").click()
    body = text()
    check("Roll back " + sync_id + " of okta" in body and "--dry-run" in body, "the rollback preview names what will change")
    shot("rollback")
    browser.find_element(By.CSS_SELECTOR, "button.danger").click()
    wait_for_title("Commit")
    body = text()
    check("Roll back " + sync_id in body and "by ada" in body, "the rollback is a commit authored by the admin")
    check("active: false → true" in body, "which reactivates the users")
    shot("rolled-back")

    browser.find_element(By.LINK_TEXT, "Users & groups").click()
    browser.find_element(By.NAME, "q").send_keys("grace@example.com")
    browser.find_element(By.CSS_SELECTOR, "main form").submit()
    browser.find_element(By.LINK_TEXT, "grace@example.com").click()
    body = text()
    check("Sales" in body and "History" in body and "Deactivate user grace@example.com" in body, "a user with its groups and history")
    check("<table" not in body and "HTML(" not in body, "no markup shown as text")
    shot("user")
    browser.find_element(By.LINK_TEXT, "Sales").click()
    check("alan@example.com" in text() and "ada@example.com" in text(), "its group, with the members")

    browser.find_element(By.LINK_TEXT, "Snapshots").click()
    browser.find_element(By.NAME, "name").send_keys("after-review")
    browser.find_element(By.NAME, "message").send_keys("Checked in the console")
    browser.find_element(By.CSS_SELECTOR, "main form").submit()
    WebDriverWait(browser, 15).until(lambda b: "taken=" in b.current_url)
    check("Snapshot after-review taken." in text() and "Checked in the console" in text(), "a snapshot taken from the console")
    check(len(browser.find_elements(By.CSS_SELECTOR, "tbody tr")) == 1 and "<t" not in text(), "listed in a table")
    shot("snapshots")

    browser.get(origin + "/admin/compare?from=HEAD~3&to=HEAD")
    check("HEAD~3" in text(), "compare two points")
    shot("compare")

    browser.find_element(By.LINK_TEXT, "Guard").click()
    check("not holding" in text() and "Watching" in text(), "the guard's state")
    shot("guard")

    browser.set_window_size(390, 844)
    browser.get(origin + "/admin/activity")
    overflow = browser.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
    check(overflow <= 1, "on a phone's width nothing runs off the side (%d px)" % overflow)
    browser.save_screenshot(os.path.join(out, "activity-phone.png"))
    browser.set_window_size(1200, 900)

    browser.find_element(By.CSS_SELECTOR, "nav form button").click()
    wait_for_title("Sign in")
    check(browser.current_url.endswith("/admin/sign-in"), "signed out")
    browser.get(origin + "/admin/activity")
    check(browser.current_url.endswith("/admin/sign-in"), "and the session is over")
finally:
    browser.quit()

print("%d checks failed" % len(failures) if failures else "all checks passed; screenshots in " + out)
sys.exit(1 if failures else 0)
