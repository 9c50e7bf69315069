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


def test_an_item_shared_with_the_cohort_takes_its_files_to_the_library(
    world, client_for, storage_root
):
    from planning.knowledge.models import Scope
    from tests.matrix_knowledge import another_member

    item = item_of(world, scope=Scope.COHORT)
    client_for("participant").post(
        upload_url(world), {"to": f"knowledge:{item.public_id}", "file": upload("intake.pdf", PDF)}
    )
    (row,) = WorkspaceFile.objects.all()
    user, _person, _other = another_member(world)
    client = client_for("participant")
    client.force_login(user)  # a member of another COP of the cohort
    download = reverse("library-file", args=[item.public_id, row.public_id])
    assert download in client.get(item.get_library_url()).content.decode()
    response = client.get(download)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert client.get(row.get_absolute_url()).status_code == 403  # not through the COP pages


def test_a_file_of_an_item_kept_in_its_cop_is_not_in_the_library(world, client_for, storage_root):
    from planning.knowledge.models import Scope
    from tests.matrix_knowledge import another_member

    item = item_of(world)  # shared with the community only
    client_for("participant").post(
        upload_url(world), {"to": f"knowledge:{item.public_id}", "file": upload("intake.pdf", PDF)}
    )
    (row,) = WorkspaceFile.objects.all()
    user, _person, _other = another_member(world)
    client = client_for("participant")
    client.force_login(user)
    download = reverse("library-file", args=[item.public_id, row.public_id])
    assert client.get(download).status_code == 404
    other_item = item_of(world, scope=Scope.COHORT)  # a file of another item is not found
    assert (
        client.get(reverse("library-file", args=[other_item.public_id, row.public_id])).status_code
        == 404
    )
