"""URL patterns of this stage, gathered by planning/urls.py: the COP workspace."""

from django.urls import path

from planning.workspace.views import announcements, discussion, files

# Under /c/<cohort_slug>/.
cohort_urls = [
    path("announcements/new/", announcements.announce_all, name="workspace-announce-all"),
    path(
        "announcements/<uuid:announcement_id>/dismiss/",
        announcements.dismiss,
        name="announcement-dismiss",
    ),
]

THREAD = "workspace/threads/<uuid:thread_id>/"
REPLY = THREAD + "replies/<uuid:reply_id>/"

# Under /c/<cohort_slug>/communities/<community_slug>/.
community_urls = [
    path("workspace/", discussion.home, name="workspace"),
    path("workspace/threads/new/", discussion.thread_create, name="workspace-thread-create"),
    path(THREAD, discussion.thread_detail, name="workspace-thread"),
    path(THREAD + "edit/", discussion.post_edit, name="workspace-thread-edit"),
    path(THREAD + "delete/", discussion.post_delete, name="workspace-thread-delete"),
    path(THREAD + "hide/", discussion.post_hide, name="workspace-thread-hide"),
    path(REPLY + "edit/", discussion.post_edit, name="workspace-reply-edit"),
    path(REPLY + "delete/", discussion.post_delete, name="workspace-reply-delete"),
    path(REPLY + "hide/", discussion.post_hide, name="workspace-reply-hide"),
    path("workspace/files/", files.file_list, name="workspace-files"),
    path("workspace/files/upload/", files.file_upload, name="workspace-upload"),
    path("workspace/files/<uuid:file_id>/", files.file_download, name="workspace-file"),
    path("workspace/files/<uuid:file_id>/delete/", files.file_delete, name="workspace-file-delete"),
    path("workspace/announce/", announcements.announce, name="workspace-announce"),
]

# The reply link of a discussion email (planning.workspace.replylink).
public_urls = [
    path("w/<str:token>/", discussion.reply_link, name="workspace-reply-link"),
]
