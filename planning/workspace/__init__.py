"""The COP workspace: a community's discussion, its shared files and its announcements."""
