"""Files attached to a knowledge item: uploaded from the item's page through the workspace's
checked upload, listed there for the COP, and refused when the file is not what it says."""

import pytest
from django.urls import reverse

from planning.workspace.models import WorkspaceFile
from tests.matrix_knowledge import item_of
from tests.workspace_helpers import PDF, storage_root, stored_files, upload

pytestmark = pytest.mark.django_db

__all__ = ["storage_root"]


def upload_url(world):
    return reverse("planning:workspace-upload", args=[world.cohort.slug, world.community.slug])


def test_a_member_attaches_a_file_to_a_case_study_from_its_page(world, client_for, storage_root):
    item = item_of(world)
    client = client_for("participant")
    page = client.get(item.get_absolute_url()).content.decode()
    assert f"knowledge:{item.public_id}" in page
    response = client.post(
        upload_url(world),
        {"to": f"knowledge:{item.public_id}", "file": upload("intake-form.pdf", PDF)},
    )
    assert response.status_code == 302
    assert response.url == item.get_absolute_url() + "#attachments"
    (row,) = WorkspaceFile.objects.all()
    assert row.attached_to == item
    page = client.get(item.get_absolute_url()).content.decode()
    assert row.get_absolute_url() in page and "intake-form.pdf" in page


def test_a_file_whose_content_is_not_its_type_is_refused_and_nothing_is_kept(
    world, client_for, storage_root
):
    item = item_of(world)
    response = client_for("participant").post(
        upload_url(world),
        {"to": f"knowledge:{item.public_id}", "file": upload("report.pdf", b"<script>x</script>")},
    )
    assert response.status_code == 200
    assert "file" in response.context["form"].errors
    assert not WorkspaceFile.objects.exists() and stored_files(storage_root) == []
