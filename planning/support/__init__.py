"""Support for COP leaders as a group: the leaders' circle (convenings) and its discussion."""
