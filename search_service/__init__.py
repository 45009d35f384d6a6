"""Skillspring catalog search and course-detail service."""
