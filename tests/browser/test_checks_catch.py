"""The page checks themselves: axe and the sideways-scroll check fail on the faults they are
for, under copkit's real Content Security Policy."""

import pytest
from django.urls import reverse

from tests.browser.conftest import assert_no_horizontal_scroll, check_a11y

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_checks_catch_what_they_are_for(live_server, new_page):
    """axe runs on copkit's pages under their real CSP and fails the test on a serious
    violation; the sideways-scroll check fails on a too-wide element. Each check passes on
    the untouched page first, so the failure comes from the injected fault."""
    page = new_page("phone")
    page.goto(live_server.url + reverse("account_login"))
    assert "script-src 'self'" in page.evaluate(
        "fetch(location.href).then(r => r.headers.get('Content-Security-Policy'))"
    )
    check_a11y(page, "login page, untouched")
    assert_no_horizontal_scroll(page, 375)

    page.evaluate(
        """() => {
            const img = document.createElement('img');
            img.src = 'data:image/gif;base64,R0lGODlhAQABAAAAACw=';
            document.querySelector('main').append(img);
        }"""
    )
    with pytest.raises(AssertionError, match="image-alt"):
        check_a11y(page, "login page with an image without alt text")

    page.evaluate(
        """() => {
            const wide = document.createElement('div');
            wide.id = 'too-wide';
            wide.textContent = 'x'.repeat(200);
            wide.className = 'text-nowrap';
            document.querySelector('main').append(wide);
        }"""
    )
    with pytest.raises(AssertionError, match="too-wide"):
        assert_no_horizontal_scroll(page, 375)
