from django.urls import reverse


def test_login_page_renders(client, db):
    response = client.get(reverse("account_login"))
    assert response.status_code == 200
    assert b'name="login"' in response.content
